"""Small generated documents for the ingest tests and benchmark: rendered Chinese pages, PDFs, DOCX, OFD."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

SIMPLIFIED = [
    "临川县人民政府办公室",
    "关于做好二〇二一年春季农业生产工作的通知",
    "临政办〔2021〕13号",
    "各乡镇人民政府，县直各单位：",
    "为切实做好今年春季农业生产工作，确保粮食",
    "稳定增产、农民持续增收，现将有关事项通知如下。",
]
TRADITIONAL = [
    "臨川縣人民政府辦公室",
    "關於加強檔案資料數據管理工作的通知",
    "各鄉鎮人民政府，縣直各單位：",
    "為進一步規範檔案資料的收集與整理，現將",
    "有關事項通知如下，請認真貫徹執行。",
]


def render_lines(lines: list[str], *, size: tuple[int, int] = (1000, 600), font_px: int = 40,
                 dpi: int = 300, margin: int = 40) -> Image.Image:
    """Black text on white, one line per entry — a crop of a scanned page at ``dpi``."""
    font = ImageFont.truetype(FONT, font_px)
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    y = margin
    for line in lines:
        draw.text((margin, y), line, font=font, fill=0)
        y += int(font_px * 1.6)
    image.info["dpi"] = (dpi, dpi)
    return image


def degrade(image: Image.Image, kind: str, seed: int = 7) -> Image.Image:
    """The degraded scans of the benchmark: rotated 3–5°, speckled, low contrast, or 150 dpi."""
    rng = random.Random(seed)
    grey = image.convert("L")
    if kind == "rotated":
        out = grey.rotate(rng.choice([-1, 1]) * rng.uniform(3, 5), resample=Image.BICUBIC, expand=True,
                          fillcolor=255)
    elif kind == "speckled":
        out = grey.copy()
        pixels = out.load()
        for _ in range(out.width * out.height // 150):
            x, y = rng.randrange(out.width), rng.randrange(out.height)
            pixels[x, y] = 0 if rng.random() < 0.5 else 255
        out = out.filter(ImageFilter.GaussianBlur(0.4))
    elif kind == "low-contrast":
        out = grey.point(lambda v: 110 + v * 70 // 255)
    elif kind == "150dpi":
        out = grey.resize((grey.width // 2, grey.height // 2), Image.LANCZOS)
        out.info["dpi"] = (150, 150)
        return out
    else:
        raise ValueError(kind)
    out.info["dpi"] = grey.info.get("dpi", (300, 300))
    return out


def save(image: Image.Image, path: Path, **kw) -> Path:
    image.save(path, dpi=image.info.get("dpi", (300, 300)), **kw)
    return path


def text_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF with a real text layer (fpdf2 embeds the CJK font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=FONT)
    for text in pages:
        pdf.add_page()
        pdf.set_font("wqy", size=14)
        pdf.multi_cell(0, 10, text)
    pdf.output(str(path))
    return path


def image_pdf(path: Path, images: list[Image.Image]) -> Path:
    """An image-only PDF (a scan): no text layer at all."""
    rgb = [im.convert("RGB") for im in images]
    rgb[0].save(path, "PDF", resolution=300.0, save_all=True, append_images=rgb[1:])
    return path


def mixed_pdf(path: Path, text: str, scan: Image.Image) -> Path:
    """First page with a text layer, second page a scanned image only (pages sized to the scan, so the
    rendered page is as small as the scan itself)."""
    from fpdf import FPDF

    width, height = scan.width * 25.4 / 300, scan.height * 25.4 / 300
    pdf = FPDF(format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.add_font("wqy", fname=FONT)
    pdf.add_page()
    pdf.set_font("wqy", size=10)
    pdf.multi_cell(0, 6, text)
    pdf.add_page()
    buf = io.BytesIO()
    scan.convert("RGB").save(buf, "PNG")
    pdf.image(buf, x=0, y=0, w=width, h=height)
    pdf.output(str(path))
    return path


def docx(path: Path, paragraphs: list[str], page_break_after: int | None = None) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    for i, text in enumerate(paragraphs):
        para = doc.add_paragraph(text)
        if page_break_after is not None and i == page_break_after:
            para.add_run().add_break(WD_BREAK.PAGE)
    doc.save(str(path))
    return path


@dataclass
class OfdImage:
    """An image on an OFD page, drawn over the page from its top left corner at ``dpi``."""

    image: Image.Image | bytes | None  # None: the resource names a media file the package does not hold
    fmt: str = "PNG"  # how a PIL image is encoded, and the resource's declared Format
    media: str | None = None  # the MediaFile text (default Image_<ID>.<fmt>, under Res/)
    declared: bool = True  # False: the page refers to a resource ID no resource file declares
    size_mm: tuple[float, float] | None = None  # default: the image's pixel size at ``dpi``
    dpi: int = 300


def _ofd_media(z: zipfile.ZipFile, item: OfdImage, rid: int) -> tuple[str, str]:
    """Store one image under Doc_0/Res; return its resource entry and the ImageObject's Boundary."""
    suffix = {"JPEG": "jpg", "JBIG2": "jb2"}.get(item.fmt, item.fmt.lower())
    media = item.media or f"Image_{rid}.{suffix}"
    data = item.image
    if isinstance(data, Image.Image):
        buffer = io.BytesIO()
        data.convert("RGB" if item.fmt == "JPEG" else data.mode).save(buffer, item.fmt)
        data = buffer.getvalue()
        width, height = (v * 25.4 / item.dpi for v in item.image.size)
    else:
        width, height = 210.0, 297.0
    if data is not None:
        z.writestr(f"Doc_0/Res/{media}", data)
    width, height = item.size_mm or (width, height)
    entry = (f'<ofd:MultiMedia ID="{rid}" Type="Image" Format="{item.fmt}"><ofd:MediaFile>{media}</ofd:MediaFile>'
             f'</ofd:MultiMedia>') if item.declared else ""
    return entry, f"0 0 {width:.2f} {height:.2f}"


def ofd(path: Path, pages: list[list[str | OfdImage]]) -> Path:
    """A minimal OFD package (GB/T 33190): OFD.xml → Document.xml → one Content.xml per page. A page lists its
    text lines and :class:`OfdImage` pictures; pictures are declared in Doc_0/DocumentRes.xml (BaseLoc Res)."""
    ns = "http://www.ofdspec.org/2016"
    page_refs = "".join(
        f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
    )
    resources: list[str] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{ns}" Version="1.0">'
                              '<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>'
                              '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        for i, items in enumerate(pages):
            lines = [item for item in items if isinstance(item, str)]
            objs = "".join(
                f'<ofd:TextObject ID="{100 + j}" Boundary="20 {20 + 8 * j} 170 8" Font="1" Size="5">'
                f'<ofd:TextCode X="0" Y="6">{line}</ofd:TextCode></ofd:TextObject>'
                for j, line in enumerate(lines)
            )
            for item in items:
                if isinstance(item, OfdImage):
                    rid = 1000 + len(resources)
                    entry, boundary = _ofd_media(z, item, rid)
                    resources.append(entry)
                    objs += f'<ofd:ImageObject ID="{rid + 1000}" Boundary="{boundary}" ResourceID="{rid}"/>'
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{ns}"><ofd:Content>'
                       f'<ofd:Layer ID="2">{objs}</ofd:Layer></ofd:Content></ofd:Page>')
        res_ref = "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>" if resources else ""
        if resources:
            z.writestr("Doc_0/DocumentRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{ns}" '
                                                f'BaseLoc="Res"><ofd:MultiMedias>{"".join(resources)}'
                                                '</ofd:MultiMedias></ofd:Res>')
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{ns}">'
                                         f'<ofd:CommonData><ofd:MaxUnitID>9999</ofd:MaxUnitID>{res_ref}'
                                         f'</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>')
    return path


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance / reference length, ignoring whitespace (it carries no meaning in
    Chinese text and OCR line breaks differ)."""
    ref = "".join(reference.split())
    hyp = "".join(hypothesis.split())
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / len(ref)


def encrypted_pdf(path: Path, source: Path, password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path
