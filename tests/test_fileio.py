"""checker.fileio: user-named files are opened without blocking, checked once open, read with a limit."""

import os
import threading

import pytest

from checker.fileio import NotRegular, TooLarge, read_regular


def test_a_regular_file_is_read(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"abc")
    assert read_regular(tmp_path / "a.txt", 3) == b"abc"
    assert read_regular(tmp_path / "a.txt", None) == b"abc"


def test_over_the_limit(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"abcd")
    with pytest.raises(TooLarge) as err:
        read_regular(tmp_path / "a.txt", 3)
    assert (err.value.size, err.value.limit) == (4, 3)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    """Opened O_NONBLOCK, the FIFO is seen by fstat on the opened file: nothing blocks (a
    writer thread that never comes would make a blocking open hang the test run)."""
    os.mkfifo(tmp_path / "p.txt")
    done = []
    worker = threading.Thread(target=lambda: done.append(_refused(tmp_path / "p.txt")), daemon=True)
    worker.start()
    worker.join(10)
    assert done == [False]


def _refused(path):
    try:
        read_regular(path, 100)
    except NotRegular as exc:
        return exc.is_dir
    return None


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(device):
    with pytest.raises(NotRegular):
        read_regular(device, 100)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(NotRegular) as err:
        read_regular(tmp_path, 100)
    assert err.value.is_dir


def test_a_file_swapped_for_a_fifo_after_it_was_listed_is_refused(tmp_path):
    """Nothing is decided on the path before the open: a regular file replaced by a FIFO
    between the folder walk and the read is refused, not waited on."""
    path = tmp_path / "r.txt"
    path.write_bytes(b"report")
    assert read_regular(path, 100) == b"report"
    path.unlink()
    os.mkfifo(path)
    assert _refused(path) is False
