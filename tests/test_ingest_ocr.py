"""Reading scanned pages with real tesseract: preprocessing, orientation, script choice, flags."""

from __future__ import annotations

import random

import pytest
from PIL import Image

from archive_tui.ingest import ocr, preprocess

from ingest_fixtures import SIMPLIFIED, TRADITIONAL, cer, degrade, render_lines

pytestmark = pytest.mark.xdist_group("ingest-ocr")


@pytest.mark.parametrize("angle", [-4.0, 3.0, 5.0])
def test_skew_is_measured(angle):
    page = render_lines(SIMPLIFIED).rotate(angle, expand=True, fillcolor=255)
    assert preprocess.skew_angle(page) == pytest.approx(-angle, abs=0.3)


def test_low_resolution_scans_are_scaled_to_300_dpi():
    page = degrade(render_lines(SIMPLIFIED), "150dpi")
    assert preprocess.source_dpi(page) == 150
    assert preprocess.prepare(page).width == pytest.approx(1000, abs=2)


def test_transparent_scans_become_grey_on_white():
    rgba = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    assert preprocess.to_grey(rgba).getpixel((5, 5)) == 255


@pytest.mark.slow
def test_simplified_and_traditional_pages_pick_their_model_and_lose_the_spaces():
    sim = ocr.read_page(render_lines(SIMPLIFIED))
    tra = ocr.read_page(render_lines(TRADITIONAL))
    assert (sim.lang, tra.lang) == ("chi_sim", "chi_tra")
    assert cer("\n".join(SIMPLIFIED), sim.text) < 0.03
    assert cer("\n".join(TRADITIONAL), tra.text) < 0.03
    assert " " not in sim.text and " " not in tra.text
    assert not sim.flagged and sim.confidence > 80


@pytest.mark.slow
def test_a_page_on_its_side_is_turned_upright():
    page = ocr.read_page(render_lines(SIMPLIFIED).rotate(90, expand=True))
    assert page.rotated in (90, 270)
    assert cer("\n".join(SIMPLIFIED), page.text) < 0.05


@pytest.mark.slow
def test_noise_is_flagged_for_the_archivist():
    rng = random.Random(3)
    noise = Image.new("L", (600, 300), 255)
    for _ in range(6000):
        noise.putpixel((rng.randrange(600), rng.randrange(300)), 0)
    for x in range(50, 550, 37):
        for y in range(40, 260, 3):
            noise.putpixel((x + rng.randrange(20), y), 0)
    page = ocr.read_page(noise)
    assert page.flagged
