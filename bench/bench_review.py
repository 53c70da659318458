"""Review, operators and audit: login cost, personal-data scan speed, review queue and audit verification at scale.

``python -m bench review [--records=N] [--events=N]`` (defaults 2000 records, 50000 events).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from archive_tui import Archive, events, pii, records
from archive_tui.access import Actor, Role

REVIEWER = Actor("审核员甲", frozenset({Role.REVIEWER}))
ARCHIVIST = Actor("档案员乙", frozenset({Role.ARCHIVIST}))
PAGE = (
    "各乡镇人民政府，县直各单位：为做好二〇二一年春季植树绿化工作，现将有关事项通知如下。"
    "一、高度重视，加强领导。二、明确任务，落实责任。联系人：县林业局办公室，电话 0794-8221234。"
) * 8  # ~1,300 characters, a typical page
PII_PAGE = PAGE + "申请人张三，身份证号11010519491231002X，手机13800138000，家住临川县城关镇解放路12号。"


def _option(argv: list[str], name: str, default: int) -> int:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return int(arg.split("=", 1)[1])
    return default


def _timed(fn, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def main(argv: list[str]) -> None:
    n_records = _option(argv, "records", 2000)
    n_events = _option(argv, "events", 50000)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive.create(Path(tmp) / "a")
        archive.init_admin("admin", "bench-pass-1")
        login_s = _timed(lambda: archive.login("admin", "bench-pass-1"), 10)
        print(f"login (scrypt n=2^14 r=8, 16 MiB): {login_s * 1000:.0f} ms per attempt")

        scan_s = _timed(lambda: pii.scan(PAGE), 200)
        print(f"PII scan, clean page ({len(PAGE)} chars): {scan_s * 1000:.2f} ms "
              f"= {len(PAGE) / scan_s / 1e6:.1f} M chars/s")
        found = pii.scan(PII_PAGE)
        print(f"PII scan, page with personal data: {len(found)} findings, "
              f"{_timed(lambda: pii.scan(PII_PAGE), 200) * 1000:.2f} ms")

        db, style = archive.db, archive.index_no_style()
        start = time.perf_counter()
        with db.conn:
            for i in range(n_records):
                rid = records.insert(db, {"title": f"关于第{i}批植树绿化工作的通知"}, ARCHIVIST, style=style)
                db["pages"].insert({"record_id": rid, "page_no": 1, "text": PII_PAGE if i % 50 == 0 else PAGE,
                                    "flagged": int(i % 7 == 0)})
        print(f"seeded {n_records} pending records in {time.perf_counter() - start:.1f} s")
        queue_s = _timed(lambda: archive.review_queue(REVIEWER), 3)
        print(f"review queue of {n_records}: {queue_s * 1000:.0f} ms")
        detail_s = _timed(lambda: archive.review_detail(1, REVIEWER), 20)
        print(f"review detail with PII scan: {detail_s * 1000:.1f} ms")
        release_s = _timed(lambda: [archive.release(rid, REVIEWER) for rid in range(2, 50)]) / 48  # no PII among them
        print(f"release: {release_s * 1000:.1f} ms per record")

        start = time.perf_counter()
        have = db.execute("SELECT count(*) FROM events").fetchone()[0]
        with db.conn:
            for i in range(max(0, n_events - have)):
                events.log(db, "bench", "view", 1 + i % n_records, visit_id=i)
        append_s = time.perf_counter() - start
        total = db.execute("SELECT count(*) FROM events").fetchone()[0]
        print(f"appended {total - have} events in {append_s:.1f} s = {(total - have) / append_s:.0f} events/s")
        verify_s = _timed(lambda: archive.audit_verify())
        print(f"audit verify of {total} events: {verify_s:.2f} s = {total / verify_s:.0f} events/s")
        assert archive.audit_verify() == []
        archive.close()
