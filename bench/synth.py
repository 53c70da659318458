"""Synthetic archives of realistic size for benchmarks: government notices of the fictitious 临川县.

Text is assembled from a hand-written vocabulary of administrative Chinese (agencies, places, policy nouns,
verbs, measures, numbers, dates and 文号 citations). Words are drawn with a Zipf-like distribution over a
vocabulary that also grows compound nouns, so common words ("工作", "管理") appear in most documents while most
words are rare — the shape that decides search latency. Everything comes from one seeded generator:
``generate(n, seed)`` always yields the same documents.

``build_archive(path, n)`` writes them into a real archive (records, pages) in bulk; the counter latency benchmark
reuses it.
"""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

COUNTY = "临川县"
ORG_CODE = "369921000"

#: (issuer, 发文机关代字, subject top level, information category)
AGENCIES = [
    ("临川县人民政府", "临政", "综合政务", "法规公文"),
    ("临川县人民政府办公室", "临政办", "综合政务", "法规公文"),
    ("临川县发展和改革局", "临发改", "国民经济管理、国有资产监管", "计划总结"),
    ("临川县财政局", "临财", "财政、金融、审计", "财政信息"),
    ("临川县审计局", "临审", "财政、金融、审计", "工作动态"),
    ("临川县教育局", "临教", "科技、教育", "政府事项信息"),
    ("临川县科学技术局", "临科", "科技、教育", "工作动态"),
    ("临川县公安局", "临公", "公安、安全、司法", "政府事项信息"),
    ("临川县司法局", "临司", "公安、安全、司法", "法规公文"),
    ("临川县民政局", "临民", "民政、扶贫、救灾", "政府事项信息"),
    ("临川县人力资源和社会保障局", "临人社", "劳动、人事、监察", "政府事项信息"),
    ("临川县自然资源局", "临自然资", "国土资源、能源", "法规公文"),
    ("临川县生态环境分局", "临环", "城乡建设、环境保护", "工作动态"),
    ("临川县住房和城乡建设局", "临建", "城乡建设、环境保护", "法规公文"),
    ("临川县交通运输局", "临交", "工业、交通", "计划总结"),
    ("临川县水利局", "临水", "农业、林业、水利", "工作动态"),
    ("临川县农业农村局", "临农", "农业、林业、水利", "政府事项信息"),
    ("临川县林业局", "临林", "农业、林业、水利", "工作动态"),
    ("临川县商务局", "临商", "商贸、海关、旅游", "工作动态"),
    ("临川县文化和旅游局", "临文旅", "文化、广电、新闻出版", "工作动态"),
    ("临川县卫生健康局", "临卫健", "卫生、体育", "政府事项信息"),
    ("临川县退役军人事务局", "临退役", "民政、扶贫、救灾", "政府事项信息"),
    ("临川县应急管理局", "临应急", "市场监管、安全生产监管", "法规公文"),
    ("临川县市场监督管理局", "临市监", "市场监管、安全生产监管", "法规公文"),
    ("临川县统计局", "临统", "国民经济管理、国有资产监管", "计划总结"),
    ("临川县医疗保障局", "临医保", "卫生、体育", "政府事项信息"),
    ("临川县城市管理局", "临城管", "城乡建设、环境保护", "工作动态"),
    ("临川县乡村振兴局", "临振兴", "民政、扶贫、救灾", "计划总结"),
    ("临川县数据资源管理局", "临数据", "综合政务", "概况信息"),
    ("临川县档案馆", "临档", "文化、广电、新闻出版", "概况信息"),
]
TOWNS = [
    "青石镇", "柳溪乡", "白沙镇", "龙门镇", "梅岭乡", "东湖镇", "西坪乡", "上塘镇", "下洲乡", "云台镇",
    "桃源乡", "双河镇", "黄坑乡", "石桥镇", "凤凰镇", "清水乡", "长乐镇", "金竹乡", "南山镇", "横江镇",
]
GENRES = [("通知", 40), ("意见", 8), ("决定", 5), ("公告", 7), ("通告", 4), ("通报", 6), ("报告", 6),
          ("批复", 8), ("函", 6), ("纪要", 3), ("规划", 3), ("办法", 4), ("方案", 8), ("年报", 2)]
#: Policy nouns, roughly from the commonest down.
NOUNS = """工作 管理 服务 建设 发展 安全 项目 资金 制度 单位 部门 企业 政策 措施 责任 规定 标准 任务 机制 体系
资源 环境 农村 社区 群众 居民 学校 教师 学生 医疗 卫生 疫情 防控 保险 就业 收入 预算 财政 审计 税收
土地 规划 住房 道路 交通 水利 河道 水库 森林 防火 耕地 粮食 种植 养殖 农业 产业 旅游 文化 体育 养老
救助 低保 残疾人 儿童 妇女 老年人 退役军人 志愿者 党员 干部 人才 培训 考核 监督 检查 执法 信访 应急
灾害 防汛 抗旱 地质 矿山 危险化学品 消防 食品 药品 价格 市场 营商环境 政务 信息 数据 档案 网络 平台
公开 申请 登记 审批 许可 备案 补贴 奖励 处罚 整改 验收 招标 采购 合同 工程 设施 设备 车辆 能源 污染
排放 垃圾 污水 绿化 公园 供水 供电 燃气 通信 宽带 邮政 物流 电商 合作社 家庭农场 村委会 网格 治安
调解 法律援助 公证 仲裁 统计 普查 调查 人口 户籍 婚姻 殡葬 宗教 民族 侨务 对口支援 乡村振兴 脱贫攻坚
集体经济 宅基地 流转 确权 不动产 征收 补偿 安置 拆迁 棚户区 老旧小区 改造 物业 电梯 燃气管道 排水
防涝 堤防 灌区 高标准农田 水土保持 生态 湿地 保护区 文物 非物质文化遗产 图书馆 博物馆 广播电视 出版""".split()
VERBS = """加强 推进 落实 做好 开展 组织 实施 完善 健全 规范 强化 提升 优化 推动 促进 保障 支持 鼓励 引导
严格 深化 扩大 加快 建立 确保 防止 减少 控制 统筹 协调 配合 督促 指导 核查 排查 整治 清理 公布
报送 审核 申报 发放 拨付 使用 管理 监测 评估 调整 公示""".split()
MODIFIERS = """全县 各乡镇 县直各单位 有关部门 年度 专项 重点 基层 农村 城镇 公共 社会 综合 长效 常态化 规范化
信息化 标准化 数字化 安全 绿色 重大 一般 临时 特殊 困难 新型 传统 全面 进一步 切实""".split()
ADVERBS = "认真 切实 全面 及时 严格 统一 积极 稳妥 有序 扎实".split()
ENDINGS = ["工作", "管理工作", "实施方案", "工作方案", "管理办法", "实施细则", "专项行动", "有关事项", "工作要点",
           "考核办法", "资金管理", "情况", "工作情况", "检查结果", "整改情况"]
DIGITS = "〇一二三四五六七八九"


def _zipf_weights(n: int, s: float = 1.05) -> list[float]:
    return [1.0 / (k ** s) for k in range(1, n + 1)]


@dataclass
class SynthDoc:
    index_no: str
    title: str
    doc_no: str | None
    issuer: str
    created_date: str
    subject: str
    genre: str
    category: str
    validity: str
    status: str
    keywords: str
    pages: list[str] = field(default_factory=list)


class _Writer:
    """One document's text generator, sharing the archive-wide vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # The vocabulary: base nouns plus compounds "modifier+noun" / "noun+noun", ranked by a shuffled order, then
        # drawn Zipf-like, so a few words are everywhere and most are rare.
        compounds = {a + b for a, b in itertools.product(NOUNS[:120], NOUNS[:160]) if a != b}
        compounds |= {m + n for m, n in itertools.product(MODIFIERS, NOUNS[:100])}
        extra = sorted(compounds)
        rng.shuffle(extra)
        self.nouns = NOUNS + extra[:12000]
        self.noun_weights = list(itertools.accumulate(_zipf_weights(len(self.nouns))))
        self.verb_weights = list(itertools.accumulate(_zipf_weights(len(VERBS), 0.9)))

        self._nouns: list[str] = []
        self._verbs: list[str] = []

    def noun(self) -> str:
        if not self._nouns:
            self._nouns = self.rng.choices(self.nouns, cum_weights=self.noun_weights, k=4096)
        return self._nouns.pop()

    def verb(self) -> str:
        if not self._verbs:
            self._verbs = self.rng.choices(VERBS, cum_weights=self.verb_weights, k=1024)
        return self._verbs.pop()

    def number(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return f"{self.rng.randint(2, 98)}个"
        if r < 0.7:
            return f"{self.rng.randint(1, 9999) / 10:.1f}万元"
        if r < 0.85:
            return f"{self.rng.randint(1, 100)}%"
        return f"{self.rng.randint(3, 400)}户"

    def date(self, year: int) -> str:
        m, d = self.rng.randint(1, 12), self.rng.randint(1, 28)
        return f"{year}年{m}月{d}日"

    def docno_mention(self, year: int) -> str:
        _, code, _, _ = self.rng.choice(AGENCIES)
        return f"{code}〔{self.rng.randint(year - 6, year)}〕{self.rng.randint(1, 120)}号"

    def clause(self, year: int) -> str:
        r = self.rng
        kind = r.randrange(12)
        n1, n2, v = self.noun(), self.noun(), self.verb()
        if kind == 0:
            return f"{r.choice(ADVERBS)}{v}{n1}{n2}"
        if kind == 1:
            return f"{r.choice(TOWNS)}要{v}{n1}，{self.verb()}{n2}"
        if kind == 2:
            return f"截至{self.date(year)}，全县共{v}{n1}{self.number()}"
        if kind == 3:
            return f"根据《{COUNTY}{n1}{r.choice(ENDINGS)}》（{self.docno_mention(year)}）要求"
        if kind == 4:
            return f"各单位应于{self.date(year)}前将{n1}{n2}情况报送{r.choice(AGENCIES)[0]}"
        if kind == 5:
            return f"对{n1}中发现的问题，{r.choice(ADVERBS)}{v}，确保{n2}{self.verb()}到位"
        if kind == 6:
            return f"{n1}经费{self.number()}，主要用于{n2}和{self.noun()}"
        if kind == 7:
            return f"联系人：{r.choice('王李张刘陈杨黄赵周吴')}{r.choice('建国丽华志强秀英海燕文军玉兰明')}，电话：0799-{r.randint(1000000, 9999999)}"
        if kind == 8:
            return f"{r.choice(MODIFIERS)}{n1}{v}工作取得{r.choice(['明显', '积极', '阶段性'])}成效"
        if kind == 9:
            return f"{v}{r.choice(MODIFIERS)}{n1}，{self.verb()}{self.noun()}{r.choice(['机制', '制度', '体系', '能力'])}"
        if kind == 10:
            return f"{n1}、{n2}、{self.noun()}等{r.choice(['工作', '事项', '问题'])}由{r.choice(AGENCIES)[0]}负责"
        return f"{r.choice(['全年', '上半年', '一季度', '本月'])}{n1}{v}{self.number()}，同比增长{r.randint(1, 40)}%"

    def paragraph(self, year: int) -> str:
        clauses = [self.clause(year) for _ in range(self.rng.randint(2, 5))]
        return "，".join(clauses) + "。"

    def pages(self, year: int, salutation: str) -> list[str]:
        r = self.rng
        count = r.choices([1, 2, 3], weights=[45, 35, 20])[0]
        out = []
        heading = 0
        for p in range(count):
            target = r.randint(450, 900)
            parts = [salutation] if p == 0 else []
            size = sum(len(x) for x in parts)
            while size < target:
                if r.random() < 0.25 and heading < 9:
                    parts.append(f"{DIGITS[heading + 1] if heading < 9 else heading + 1}、{self.verb()}{self.noun()}{self.noun()}")
                    heading += 1
                parts.append(self.paragraph(year))
                size += len(parts[-1])
            out.append("\n".join(parts))
        return out


def generate(n: int, seed: int = 7) -> Iterator[SynthDoc]:
    rng = random.Random(seed)
    writer = _Writer(rng)
    genre_names = [g for g, _ in GENRES]
    genre_weights = [w for _, w in GENRES]
    serials: dict[str, int] = {}
    for i in range(n):
        issuer, code, subject, category = rng.choice(AGENCIES)
        year = rng.choices(range(2008, 2026), weights=range(1, 19))[0]
        genre = rng.choices(genre_names, weights=genre_weights)[0]
        topic = writer.noun() + (writer.noun() if rng.random() < 0.5 else "")
        title = f"{issuer}关于{writer.verb()}{rng.choice(MODIFIERS)}{topic}{rng.choice(ENDINGS)}的{genre}"
        if genre == "年报":
            title = f"{issuer}{year}年政府信息公开工作年度报告"
        key = f"{code}{year}"
        serials[key] = serials.get(key, 0) + 1
        doc_no = f"{code}〔{year}〕{serials[key]}号" if rng.random() < 0.8 else None
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        salutation = rng.choice(["各乡镇人民政府，县直各单位：", "各有关单位：", "各乡镇、县直有关部门：", ""])
        yield SynthDoc(
            index_no=f"{ORG_CODE}/{year}-{i + 1:06d}",
            title=title,
            doc_no=doc_no,
            issuer=issuer,
            created_date=date,
            subject=subject,
            genre=genre if genre not in ("办法", "方案") else "其他",
            category=category,
            validity=rng.choices(["现行有效", "已修改", "已废止"], weights=[85, 5, 10])[0],
            status=rng.choices(["released", "pending", "withheld"], weights=[80, 15, 5])[0],
            keywords=" ".join({writer.noun() for _ in range(3)}),
            pages=writer.pages(year, salutation),
        )


def build_archive(path: Path, n: int, seed: int = 7) -> dict[str, float]:
    """Create an archive at ``path`` holding ``n`` synthetic records with their pages (bulk SQL, no index).

    Returns generation figures. The index is left to the caller (it is what the benchmarks measure).
    """
    from archive_tui import Archive

    started = time.perf_counter()
    archive = Archive.create(path, org_code=ORG_CODE)
    archive.close()
    conn = sqlite3.connect(path / "catalogue.db")
    stamp = "2025-01-01T00:00:00"
    chars = 0
    pages_total = 0
    with conn:
        for batch in _batched(generate(n, seed), 1000):
            rows = []
            for doc in batch:
                rows.append((
                    doc.index_no, doc.title, doc.doc_no, doc.doc_no, doc.issuer, doc.created_date, doc.subject,
                    doc.genre, doc.category, doc.keywords, doc.validity, doc.status, len(doc.pages), "纸质",
                    stamp, stamp, "{}",
                ))
            first = (conn.execute("SELECT max(id) FROM records").fetchone()[0] or 0) + 1
            conn.executemany(
                "INSERT INTO records (index_no, title, doc_no, doc_no_norm, issuer, created_date, subject, genre,"
                " category, keywords, validity, status, page_count, carrier, created_at, updated_at, suggested)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            ids = range(first, first + len(batch))
            page_rows = [
                (rid, no, text) for rid, doc in zip(ids, batch) for no, text in enumerate(doc.pages, 1)
            ]
            chars += sum(len(t) for _, _, t in page_rows)
            pages_total += len(page_rows)
            conn.executemany("INSERT INTO pages (record_id, page_no, text) VALUES (?,?,?)", page_rows)
    conn.close()
    info = {
        "records": n, "pages": pages_total, "chars": chars, "seconds": round(time.perf_counter() - started, 1),
    }
    (path / "synth.json").write_text(json.dumps(info))
    return info


def _batched(items: Iterator[SynthDoc], size: int) -> Iterator[list[SynthDoc]]:
    while batch := list(itertools.islice(items, size)):
        yield batch
