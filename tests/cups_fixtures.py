"""Fixtures for the printing tests: a real, private CUPS scheduler and records to print.

The scheduler is ``cupsd -f`` with its own ``cupsd.conf``/``cups-files.conf``, ServerRoot, spool, cache, state
and log folders under a temporary directory, listening only on a private domain socket. ``FileDevice Yes`` lets
its queues write to ``file://`` devices, so the tests read back exactly what CUPS produced:

- ``archive_pdf``: a PPD whose filter chain is CUPS's own ``pdftopdf`` (it makes the copies, collates, and pads
  odd-length sets for duplex), output to ``archive_pdf.pdf`` — still a PDF with the text and fonts we sent;
- ``archive_raw``: passthrough (``gziptoany``): the device file holds the very bytes that ``lp`` sent;
- ``archive_paused`` (disabled), ``archive_rejecting`` (not accepting), ``archive_quota`` (1 KB job quota).

Nothing outside the temporary folder is touched; the scheduler is stopped at the end of the session. A cups-pdf
queue is not used: cups-pdf writes to the folder compiled in from /etc/cups/cups-pdf.conf (the job owner's home),
which a private scheduler cannot redirect.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import grp
import io
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from archive_tui import Archive, system_actor
from archive_tui.printing import fonts
from archive_tui.storage import put_bytes

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PPD_HEAD = """*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "ARCHTEST.PPD"
*Manufacturer: "archive_tui"
*Product: "(archive_tui test printer)"
*ModelName: "archive_tui test printer"
*ShortNickName: "archive_tui test printer"
*NickName: "archive_tui test printer"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsVersion: 2.4
*cupsManualCopies: True
*OpenUI *PageSize/Media Size: PickOne
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
*OpenUI *Duplex/Duplex: PickOne
*DefaultDuplex: None
*Duplex None/Off: "<</Duplex false>>setpagedevice"
*Duplex DuplexNoTumble/Long Edge: "<</Duplex true/Tumble false>>setpagedevice"
*Duplex DuplexTumble/Short Edge: "<</Duplex true/Tumble true>>setpagedevice"
*CloseUI: *Duplex
"""
#: pdftopdf (from application/pdf, via cups-filters' mime.convs) is the only real filter on this queue.
PDF_FILTER = '*cupsFilter2: "application/vnd.cups-pdf application/pdf 0 -"\n'
#: gziptoany copies its input unchanged (it only gunzips compressed input).
RAW_FILTER = '*cupsFilter2: "application/pdf application/vnd.cups-raw 0 gziptoany"\n'


def cupsd_available() -> bool:
    return all(shutil.which(p) for p in ("cupsd", "lp", "lpstat", "lpadmin"))


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=30, check=True)


@dataclass
class CupsServer:
    """One private ``cupsd``; ``env`` points the CUPS clients at it."""

    root: Path
    process: subprocess.Popen | None = None

    @property
    def socket(self) -> Path:
        return self.root / "cups.sock"

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket), "LC_ALL": "C"}

    def device(self, queue: str) -> Path:
        return self.root / "out" / f"{queue}.pdf"

    def start(self) -> "CupsServer":
        for sub in ("etc/ppd", "spool/tmp", "cache", "state/certs", "log", "out"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self.root / "out").chmod(0o1777)
        (self.root / "spool/tmp").chmod(0o1777)
        user = "lp" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        group = "lp" if os.geteuid() == 0 else grp.getgrgid(os.getegid()).gr_name
        system_group = grp.getgrgid(os.getegid()).gr_name
        (self.root / "etc/cups-files.conf").write_text(
            f"ServerRoot {self.root}/etc\nRequestRoot {self.root}/spool\nTempDir {self.root}/spool/tmp\n"
            f"CacheDir {self.root}/cache\nStateDir {self.root}/state\nServerBin /usr/lib/cups\n"
            f"DataDir /usr/share/cups\nErrorLog {self.root}/log/error_log\nAccessLog {self.root}/log/access_log\n"
            f"PageLog {self.root}/log/page_log\nFileDevice Yes\nSystemGroup {system_group}\n"
            f"User {user}\nGroup {group}\nPrintcap {self.root}/printcap\nServerKeychain {self.root}/ssl\n"
        )
        (self.root / "etc/cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel info\nBrowsing No\nWebInterface No\nDefaultAuthType None\n"
            "MaxJobs 0\nPreserveJobHistory Yes\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", f"{self.root}/etc/cupsd.conf", "-s", f"{self.root}/etc/cups-files.conf"],
            stdout=subprocess.DEVNULL, stderr=(self.root / "log/stderr").open("wb"), preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("cupsd exited: " + (self.root / "log/stderr").read_text())
            if self.socket.exists() and _connects(self.socket):
                return self
            time.sleep(0.05)
        raise RuntimeError("cupsd did not come up")

    def add_queue(self, name: str, *, raw: bool = False) -> None:
        ppd = self.root / f"{name}.ppd"
        ppd.write_text(PPD_HEAD + (RAW_FILTER if raw else PDF_FILTER))
        _run(["lpadmin", "-p", name, "-E", "-v", f"file://{self.device(name)}", "-P", str(ppd)], self.env)

    def lp_admin(self, *args: str) -> None:
        _run(list(args), self.env)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def wait_output(self, queue: str, job_id: str, timeout: float = 30) -> bytes:
        """Wait until CUPS reports the job completed, then return what the queue's device received."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = subprocess.run(["lpstat", "-W", "completed", "-o", queue], env=self.env,
                                  capture_output=True, text=True).stdout
            if any(line.split()[:1] == [job_id] for line in done.splitlines()):
                return self.device(queue).read_bytes()
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} did not complete; log:\n" + (self.root / "log/error_log").read_text())


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process ends, even if it is killed (Linux prctl)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _connects(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.connect(str(path))
            return True
        except OSError:
            return False


def private_dir() -> Path:
    """A fresh folder that CUPS's filter user (``lp``) can traverse — pytest's own tmp folders are 0700."""
    path = Path(tempfile.mkdtemp(prefix="archive-tui-cups-"))
    path.chmod(0o755)
    return path


#: The one scheduler of this test process. Each test module imports the fixtures, which gives pytest one
#: session fixture per module; they all share this server, so a worker starts one cupsd, not one per module.
_SHARED: dict[str, CupsServer] = {}


def _shared_server() -> CupsServer:
    if "server" not in _SHARED:
        server = CupsServer(private_dir()).start()
        server.add_queue("archive_pdf")
        server.add_queue("archive_raw", raw=True)
        server.add_queue("archive_paused")
        server.lp_admin("cupsdisable", "archive_paused")
        server.add_queue("archive_rejecting")
        server.lp_admin("cupsreject", "archive_rejecting")
        server.add_queue("archive_quota", raw=True)
        server.lp_admin("lpadmin", "-p", "archive_quota", "-o", "job-quota-period=86400", "-o", "job-k-limit=1")
        _SHARED["server"] = server
    return _SHARED["server"]


@pytest.fixture(scope="session")
def cups_server():
    if not cupsd_available():
        pytest.skip("cupsd / cups-client are not installed (scripts/install-system.sh installs them)")
    yield _shared_server()
    server = _SHARED.pop("server", None)
    if server is not None:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def cups(cups_server: CupsServer, monkeypatch: pytest.MonkeyPatch) -> CupsServer:
    """The private scheduler, with ``CUPS_SERVER`` pointing this test's CUPS clients at it."""
    monkeypatch.setenv("CUPS_SERVER", str(cups_server.socket))
    return cups_server


@pytest.fixture(scope="session", autouse=True)
def font_cache(tmp_path_factory: pytest.TempPathFactory):
    """The common-character font subset, built once into a folder all xdist workers share (not ~/.cache)."""
    folder = tmp_path_factory.getbasetemp().parent / "archive-tui-font-cache"
    folder.mkdir(exist_ok=True)
    previous = os.environ.get(fonts.CACHE_ENV)
    os.environ[fonts.CACHE_ENV] = str(folder)
    with open(folder / ".lock", "w") as lock:  # one worker builds it, the other waits and reuses it
        fcntl.flock(lock, fcntl.LOCK_EX)
        fonts.warm_cache()
    yield folder
    if previous is None:
        os.environ.pop(fonts.CACHE_ENV, None)
    else:
        os.environ[fonts.CACHE_ENV] = previous


# -- records to print ------------------------------------------------------------------------------------------

REVIEWER = system_actor("审核员乙")
PARAGRAPH = "为进一步做好政府信息公开工作，方便公众查阅，现就有关事项通知如下。"


def scan_png(page_no: int, title: str, size: tuple[int, int] = (1240, 1754)) -> bytes:
    """A 150 dpi A4 'scan': grey page, CJK text lines rendered by Pillow."""
    image = Image.new("L", size, 250)
    draw = ImageDraw.Draw(image)
    big, small = ImageFont.truetype(FONT, 40), ImageFont.truetype(FONT, 26)
    draw.text((120, 120), title, font=big, fill=10)
    for line in range(24):
        draw.text((120, 220 + line * 56), f"第{page_no}页 {PARAGRAPH}", font=small, fill=30)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(150, 150))
    return out.getvalue()


def original_pdf(pages: int, title: str) -> bytes:
    """A born-digital PDF original (fpdf2, embedded CJK font), Letter-sized to exercise scaling to A4."""
    pdf = FPDF(format="Letter")
    pdf.add_font("cjk", "", FONT)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("cjk", size=16)
        pdf.cell(0, 10, f"{title}（原件第{n}页）", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 7, PARAGRAPH * 8, wrapmode="CHAR")
    return bytes(pdf.output())


def add_printable(archive: Archive, kind: str, pages: int, *, title: str | None = None, release: bool = True,
                  **fields) -> int:
    """A record with stored pages as ingest leaves them. ``kind``: scan (PNG page images), pdf (a PDF
    original), text (a DOCX-like text record)."""
    staff = system_actor("测试档案员")
    title = title or f"临川县人民政府办公室关于做好政府信息公开工作的通知（{kind}）"
    record_id = archive.add_record({"title": title, "doc_no": "临政办〔2021〕13号", "issuer": "临川县人民政府办公室",
                                    "created_date": "2021-03-05", "validity": "现行有效", **fields}, staff)
    db = archive.db
    with db.conn:
        if kind == "pdf":
            sha, rel, size = put_bytes(archive.store_dir, original_pdf(pages, title), ".pdf")
            file_id = db["files"].insert({"record_id": record_id, "seq": 1, "name": "original.pdf", "sha256": sha,
                                          "size": size, "mime": "application/pdf", "stored_path": rel}).last_pk
        elif kind == "text":
            data = "\n".join(PARAGRAPH * 3 for _ in range(pages)).encode()
            sha, rel, size = put_bytes(archive.store_dir, data, ".docx")
            file_id = db["files"].insert({
                "record_id": record_id, "seq": 1, "name": "通知.docx", "sha256": sha, "size": size,
                "mime": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "stored_path": rel}).last_pk
        for n in range(1, pages + 1):
            row = {"record_id": record_id, "page_no": n, "file_page": n, "text": f"第{n}页 {PARAGRAPH * 3}"}
            if kind == "scan":
                sha, rel, size = put_bytes(archive.store_dir, scan_png(n, title), ".png")
                row["file_id"] = db["files"].insert({
                    "record_id": record_id, "seq": n, "name": f"scan-{n:03d}.png", "sha256": sha, "size": size,
                    "mime": "image/png", "stored_path": rel}).last_pk
                row.update(file_page=1, image_path=rel)
            else:
                row["file_id"] = file_id
            db["pages"].insert(row)
        db["records"].update(record_id, {"page_count": pages})
    if release:
        archive.release(record_id, REVIEWER, "测试发布", acknowledge_pii=True)
    return record_id
