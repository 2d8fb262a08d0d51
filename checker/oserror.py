"""Chinese one-line reasons for OSErrors: ``strerror`` is English ("No such file or directory"),
and users read every message in Chinese. One table for reading, one for writing; an errno
neither knows is named by its symbol (ENOSPC), which a search or an administrator recognises.
"""

from __future__ import annotations

import errno
import os

_COMMON = {
    errno.EISDIR: "这是目录而不是文件",
    errno.ELOOP: "符号链接形成了循环",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "输入输出错误（磁盘或网络文件系统故障）",
    errno.ENXIO: "设备不存在",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "系统打开的文件过多",
    errno.ENOTDIR: "路径中有一级不是文件夹",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.ENOMEM: "内存不足",
    errno.EINVAL: "文件名或参数无效",
}

_READ = {
    **_COMMON,
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EIO: "读取时发生输入输出错误（磁盘或网络文件系统故障）",
}

_WRITE = {
    **_COMMON,
    errno.ENOENT: "所在文件夹不存在",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EFBIG: "文件超过了文件系统允许的大小",
    errno.EIO: "写入时发生输入输出错误（磁盘或网络文件系统故障）",
}
if hasattr(errno, "EDQUOT"):
    _WRITE[errno.EDQUOT] = "超出磁盘配额"


def reason(exc: OSError, *, writing: bool = False, path: str | os.PathLike | None = None) -> str:
    """Why ``exc`` happened, in Chinese (without the file name: the caller names it).

    ``path``: the file concerned; a missing file that is a dangling symlink is said to be one,
    and writing into a folder that does not exist names the folder.
    """
    if exc.errno == errno.ENOENT and path is not None:
        if os.path.islink(path):
            return "符号链接指向的文件不存在"
        if writing:
            folder = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(folder):
                return f"所在文件夹 {os.path.dirname(os.fspath(path)) or folder} 不存在"
    known = (_WRITE if writing else _READ).get(exc.errno)
    if known:
        return known
    name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    verb = "写入" if writing else "读取"
    return f"{verb}失败（系统错误 {name}）" if name else f"{verb}失败（{type(exc).__name__}）"
