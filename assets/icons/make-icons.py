#!/usr/bin/env python3
"""Draws Lodestone's icon (a horseshoe magnet, the lodestone of the name, on a dark tile) as
PNG files of every size a desktop asks for, the same shapes as lodestone.svg. Run once after
changing the design and commit the PNGs: `python3 assets/icons/make-icons.py`. Pure Python
(zlib only), so it needs nothing installed."""

import math
import os
import struct
import zlib

SIZES = [16, 24, 32, 48, 64, 128, 256, 512]
TILE = (0x1F, 0x2D, 0x3D)
RED = (0xD8, 0x45, 0x3B)
STEEL = (0xE3, 0xE7, 0xEC)
SAMPLES = 4  # per axis, for anti-aliased edges

# Shapes in a 0..1 box, y downwards (as in the SVG, viewBox 0 0 64 64 scaled by 1/64).
CX, CY = 0.5, 0.47
R_OUT, R_IN = 0.29, 0.13
TOP = 0.19
TIP = 0.31
CORNER = 0.19


def in_tile(x, y):
    # Rounded square filling the box.
    dx = max(CORNER - x, 0, x - (1 - CORNER))
    dy = max(CORNER - y, 0, y - (1 - CORNER))
    return dx * dx + dy * dy <= CORNER * CORNER


def magnet(x, y):
    """None outside the magnet, else its colour."""
    left = (CX - R_OUT, CX - R_IN)
    right = (CX + R_IN, CX + R_OUT)
    in_arms = TOP <= y <= CY and (left[0] <= x <= left[1] or right[0] <= x <= right[1])
    d = math.hypot(x - CX, y - CY)
    in_bend = y > CY and R_IN <= d <= R_OUT
    if not (in_arms or in_bend):
        return None
    return STEEL if y < TIP else RED


def pixel(px, py, size):
    acc = [0.0, 0.0, 0.0, 0.0]
    n = SAMPLES * SAMPLES
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = (px + (sx + 0.5) / SAMPLES) / size
            y = (py + (sy + 0.5) / SAMPLES) / size
            if not in_tile(x, y):
                continue
            colour = magnet(x, y) or TILE
            for i in range(3):
                acc[i] += colour[i]
            acc[3] += 255
    if acc[3] == 0:
        return (0, 0, 0, 0)
    alpha = acc[3] / n
    cover = acc[3] / 255
    return tuple(round(acc[i] / cover) for i in range(3)) + (round(alpha),)


def png(size):
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            row.extend(pixel(px, py, size))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for size in SIZES:
        path = os.path.join(here, f"lodestone-{size}.png")
        with open(path, "wb") as f:
            f.write(png(size))
        print(path)


if __name__ == "__main__":
    main()
