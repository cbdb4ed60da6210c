"""CMake options leave engines out; a block for a missing engine is a clear error."""
import os
import subprocess

import pytest

SOURCE = os.environ.get("MOAT_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(
                            os.path.abspath(__file__)))))


@pytest.fixture(scope="module")
def nodns_build(tmp_path_factory):
    build = tmp_path_factory.mktemp("build-nodns")
    subprocess.run(["cmake", "-S", SOURCE, "-B", str(build), "-DMOAT_DNS=OFF",
                    "-DMOAT_DHCP=OFF", "-DMOAT_TESTS=OFF"], check=True,
                   capture_output=True)
    subprocess.run(["cmake", "--build", str(build), "-j2"], check=True,
                   capture_output=True)
    return build


def test_dns_engine_left_out(nodns_build):
    assert (nodns_build / "sbin" / "moatd").exists()
    assert not (nodns_build / "libexec" / "moatd" / "dns-engine").exists()


def test_dhcp_parts_left_out(nodns_build):
    assert not (nodns_build / "dhcp-engine").exists()
    assert not list(nodns_build.rglob("libmoatdhcp*.a"))


def test_dhcp_block_is_an_error_without_the_engine(nodns_build, tmp_path):
    conf = tmp_path / "moatd.conf"
    conf.write_text('user "_moatd"\ndhcp on lo {\n\trange 10.0.0.2 '
                    '10.0.0.9\n}\n')
    r = subprocess.run([str(nodns_build / "sbin" / "moatd"), "-n", "-f",
                        str(conf)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "%s:2: dhcp: this moatd was built without the DHCP engine" % conf \
        in r.stderr


def test_dns_block_is_an_error_without_the_engine(nodns_build, tmp_path):
    conf = tmp_path / "moatd.conf"
    conf.write_text('user "_moatd"\ndns {\n\tforwarder 10.0.0.1\n}\n')
    r = subprocess.run([str(nodns_build / "sbin" / "moatd"), "-n", "-f",
                        str(conf)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "%s:2: dns: this moatd was built without the DNS engine" % conf \
        in r.stderr


def test_no_engine_means_nothing_to_do(nodns_build, tmp_path):
    conf = tmp_path / "moatd.conf"
    conf.write_text('user "_moatd"\n')
    r = subprocess.run([str(nodns_build / "sbin" / "moatd"), "-d", "-f",
                        str(conf), "-s", str(tmp_path / "sock")],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 1
    assert "no engine is configured" in r.stderr
