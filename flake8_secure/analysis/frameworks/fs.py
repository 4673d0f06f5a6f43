"""File-system calls that set permissions, create temporary files or
extract archives, and the servers that bind a listening address."""

from __future__ import annotations

# Functions taking a permission mode: qualified name -> (position, keyword).
MODE_FUNCTIONS: dict[str, tuple[int, str]] = {
    "os.chmod": (1, "mode"),
    "os.fchmod": (1, "mode"),
    "os.lchmod": (1, "mode"),
    "os.open": (2, "mode"),
    "os.mkdir": (1, "mode"),
    "os.makedirs": (1, "mode"),
    "os.mkfifo": (1, "mode"),
    "os.mknod": (1, "mode"),
}
# pathlib methods taking a mode (on a receiver built by ``pathlib.Path``).
PATH_MODE_METHODS: dict[str, tuple[int, str]] = {
    "chmod": (0, "mode"),
    "lchmod": (0, "mode"),
    "mkdir": (0, "mode"),
    "touch": (0, "mode"),
}
PATH_TYPES = frozenset(
    {"pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath", "pathlib.PurePosixPath", "pathlib.WindowsPath"}
)
# Directory creation: setgid on a directory only makes new entries inherit
# its group, so it is not a privilege grant there.
DIRECTORY_CREATORS = frozenset({"os.mkdir", "os.makedirs", "mkdir"})
# Archive members carry a mode that extraction applies.
TARINFO_TYPES = frozenset({"tarfile.TarInfo", "tarfile.TarFile.gettarinfo", "tarfile.open.gettarinfo"})
ZIPINFO_TYPES = frozenset({"zipfile.ZipInfo", "zipfile.ZipInfo.from_file"})

# Predictable temporary file names.
MKTEMP = frozenset({"tempfile.mktemp", "os.tempnam", "os.tmpnam"})
SHARED_TMP_DIRS = ("/tmp/", "/var/tmp/", "/dev/shm/", "/usr/tmp/")
OPENERS = frozenset({"open", "io.open", "codecs.open", "builtins.open"})
PATH_WRITERS = frozenset({"write_text", "write_bytes", "touch"})
# os.open flags that write.
OS_WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC")

# Servers: qualified name -> (position, keyword) of the host, or of a
# (host, port) address tuple when the keyword is "server_address".
SERVER_HOSTS: dict[str, tuple[int, str]] = {
    "uvicorn.run": (-1, "host"),
    "werkzeug.serving.run_simple": (0, "hostname"),
    "werkzeug.run_simple": (0, "hostname"),
    "wsgiref.simple_server.make_server": (0, "host"),
    "aiohttp.web.run_app": (-1, "host"),
    "http.server.HTTPServer": (0, "server_address"),
    "http.server.ThreadingHTTPServer": (0, "server_address"),
    "socketserver.TCPServer": (0, "server_address"),
    "socketserver.ThreadingTCPServer": (0, "server_address"),
    "socketserver.UDPServer": (0, "server_address"),
    "socketserver.ThreadingUDPServer": (0, "server_address"),
    "xmlrpc.server.SimpleXMLRPCServer": (0, "addr"),
}
ALL_INTERFACES = frozenset({"0.0.0.0", "::", ""})
APP_TYPES = frozenset({"flask.Flask", "quart.Quart", "sanic.Sanic"})
SOCKET_TYPES = frozenset({"socket.socket", "socket.create_server"})

TAR_OPENERS = ("tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.gzopen",
               "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen", "tarfile.TarFile.taropen")
ZIP_OPENERS = ("zipfile.ZipFile",)
SAFE_TAR_FILTERS = frozenset({"data", "tar"})
UNPACK_ARCHIVE = frozenset({"shutil.unpack_archive"})
# Calls that show member paths are checked against the destination.
PATH_GUARDS = frozenset(
    {"os.path.realpath", "os.path.abspath", "os.path.commonpath", "os.path.commonprefix",
     "is_relative_to", "resolve", "relative_to", "data_filter", "tar_filter"}
)
# Uploaded files and request bodies (Flask/Werkzeug, Django, Starlette).
REQUEST_FILE_SOURCES = ("flask.request.files", "flask.request.stream", "flask.request.data",
                        "flask.request.get_data", "request.FILES", "request.files", "request.body",
                        "request.stream", "request.data")
