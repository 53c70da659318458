"""Statistics on a busy year: reading-room counts by month/day/agency, the request register's due list and
table 3. Seeds a temporary archive with ``--visits N`` visits (default 5000 — the 2017 national average was about 250
visits per reading place a year, so this is a busy one — three documents consulted each,
one print in three) over 500 records of 20 agencies, and ``--requests N`` requests (default 2000) spread over
three years, one in five with a third-party consultation. Options are given as ``--visits=N``. Targets: each reading-room query < 0.5 s, due list and table 3 < 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from archive_tui import Archive, system_actor
from archive_tui.requests import outcomes
from archive_tui.stats import annual_report, catalogue, reading_room

TARGETS = {"by_month": 0.5, "by_day": 0.5, "by_issuer": 0.5, "by_subject": 0.5, "catalogue": 0.5,
           "requests_due": 1.0, "table3": 1.0}


def seed(archive: Archive, visits: int, requests: int) -> None:
    rng = random.Random(7)
    staff = system_actor("基准")
    db = archive.db
    subjects = ["综合政务", "财政、金融、审计/预算", "城乡建设、环境保护", "农业、林业、水利", "卫生、体育"]
    with db.conn:
        rows = [{"index_no": f"000000000/2025-{n:05d}", "title": f"文件{n}", "issuer": f"临川县第{n % 20}局",
                 "subject": subjects[n % 5], "genre": "通知", "created_date": f"20{15 + n % 11}-03-01",
                 "validity": "现行有效", "status": "released", "created_at": "2025-01-01", "updated_at": "2025-01-01",
                 "rev": 1} for n in range(500)]
        db["records"].insert_all(rows)
        ids = [r[0] for r in db.execute("SELECT id FROM records")]
        start = dt.datetime(2025, 1, 1, 9)
        visit_rows, opened, prints = [], [], []
        for n in range(visits):
            ts = (start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))).isoformat() + "+08:00"
            visit_rows.append({"id": n + 1, "visitor_name": "读者", "operator": "窗口", "started_at": ts})
            for rid in rng.sample(ids, 3):
                opened.append({"visit_id": n + 1, "record_id": rid, "opened_at": ts})
            if n % 3 == 0:
                prints.append({"ts": ts, "operator": "窗口", "visit_id": n + 1, "record_id": ids[n % len(ids)],
                               "page_count": rng.randint(1, 20), "copies": 1, "fee_cents": 50})
        db["visits"].insert_all(visit_rows, batch_size=5000)
        db["visit_records"].insert_all(opened, batch_size=5000)
        db["print_log"].insert_all(prints, batch_size=5000)
    register = archive.request_register()
    codes = list(outcomes.outcomes())
    kinds = outcomes.applicant_types()
    last = dt.date.today() - dt.timedelta(days=1)
    for n in range(requests):
        received = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange((last - dt.date(2024, 1, 2)).days))
        view = register.add({"applicant_type": kinds[n % 6], "applicant_name": f"申请人{n}", "content": "某文件",
                             "channel": "网络", "received_date": received.isoformat()}, staff)
        if n % 5 == 0:
            register.consult(view.ref, staff, date=received.isoformat(), third_party="某公司")
            register.consult_reply(view.ref, staff, date=min(last, received + dt.timedelta(days=10)).isoformat())
        closed = received + dt.timedelta(days=rng.randint(11, 40))
        if n % 4 and closed <= last:
            register.close(view.ref, staff, date=closed.isoformat(), outcome=codes[n % len(codes)])


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench stats")
    parser.add_argument("--visits", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)
    staff = system_actor("基准")
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive.create(Path(tmp) / "archive")
        took = timed(lambda: seed(archive, args.visits, args.requests))
        print(f"seeded {args.visits} visits ({args.visits * 3} documents consulted) and {args.requests} requests "
              f"in {took:.1f} s")
        db = archive.db
        results = {
            "by_month": timed(lambda: reading_room.by_period(db, staff, "2025", "month")),
            "by_day": timed(lambda: reading_room.by_period(db, staff, "2025-06", "day")),
            "by_issuer": timed(lambda: reading_room.by_dimension(db, staff, "2025", "issuer")),
            "by_subject": timed(lambda: reading_room.by_dimension(db, staff, "2025", "subject")),
            "catalogue": timed(lambda: catalogue.tables(db, staff, 2025)),
            "requests_due": timed(lambda: archive.requests_due(staff)),
            "table3": timed(lambda: annual_report.build_table3(archive, 2025, staff).check()),
        }
        for name, seconds in results.items():
            print(f"{name:13s} {seconds * 1000:8.1f} ms   target {TARGETS[name] * 1000:.0f} ms   "
                  f"ratio {seconds / TARGETS[name]:.2f}")
        archive.close()
