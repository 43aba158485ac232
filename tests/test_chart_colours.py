"""Irritants and enchantments stay apart for readers who confuse red and green (about one man in
twelve): colours compared as CIELAB differences (ΔE) after simulating deuteranopia and protanopia
(Machado, Oliveira and Fernandes 2009, full severity)."""
import numpy as np
import pytest

from research.synthesis_charts import GREEN, LIGHT_GREY, RED, VALENCE_MIDDLE, valence_scale

SIMULATIONS = {
    "as seen": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}


def linear_rgb(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb, 0, 1)
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > 0.008856, np.cbrt(f), 7.787 * f + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def difference(a: str, b: str, seen_as: str) -> float:
    m = SIMULATIONS[seen_as]
    return float(np.linalg.norm(lab(m @ linear_rgb(a)) - lab(m @ linear_rgb(b))))


@pytest.mark.parametrize("seen_as", SIMULATIONS)
def test_irritant_enchantment_and_neutral_stay_apart_for_colour_blind_readers(seen_as):
    assert difference(RED, GREEN, seen_as) >= 20
    assert difference(RED, LIGHT_GREY, seen_as) >= 20 and difference(GREEN, LIGHT_GREY, seen_as) >= 20


def test_the_green_used_before_failed_that_test():
    assert difference(RED, "#1e8449", "protanopia") < 15  # the check can fail: it did for the old pair


def test_valence_runs_from_irritant_red_through_cream_to_enchantment_green():
    scale = valence_scale(3).to_dict()
    assert scale["domain"] == [-3, 0, 3] and scale["range"] == [RED, VALENCE_MIDDLE, GREEN]
