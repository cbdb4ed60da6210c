#!/usr/bin/python3
"""Add up the JUnit reports of one test run and print the closing line.

usage: summary.py RESULTS_DIR [FAILED_STEP ...]
Exit status 0 only when every test passed and no step failed.
"""
import glob
import sys
import xml.etree.ElementTree as ET


def count(path):
    passed = failed = skipped = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main():
    results, steps = sys.argv[1], sys.argv[2:]
    passed = failed = skipped = 0
    for path in sorted(glob.glob(results + "/*.xml")):
        p, f, s = count(path)
        print("%-20s %d passed, %d failed, %d skipped"
              % (path.rsplit("/", 1)[1], p, f, s))
        passed, failed, skipped = passed + p, failed + f, skipped + s
    for step in steps:
        print("step failed: %s" % step)
    failed += len(steps)
    print("tests: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
