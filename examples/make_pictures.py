"""Draw the pictures the README shows: where a KL comes from, and its two directions.

    python examples/make_pictures.py            # writes docs/images/*.png

Needs matplotlib (``pip install symkl[plot]``).
"""
import pathlib

import symkl as sk
from symkl.plot import plot_asymmetry, plot_result

IMAGES = pathlib.Path(__file__).resolve().parent.parent / "docs" / "images"


def main(folder=IMAGES):
    folder.mkdir(parents=True, exist_ok=True)
    # the integrand p·log(p/q): its area is KL(N(0, 1) ‖ N(1, 2)) = log 2 − 1/4
    integrand = plot_result(sk.kl(sk.Normal(0, 1), sk.Normal(1, 2)))
    integrand.savefig(folder / "normal_integrand.png", dpi=100)
    # both directions as q's scale moves: a q narrower than p costs far more than a wider one
    both = plot_asymmetry(sk.asymmetry(sk.Normal(), sk.Normal()), "sigma_2", (0.1, 10),
                          values={"mu_1": 0, "sigma_1": 1, "mu_2": 0})
    both.savefig(folder / "normal_asymmetry.png", dpi=100)
    return sorted(folder.glob("normal_*.png"))


if __name__ == "__main__":
    for path in main():
        print(path)
