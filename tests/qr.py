"""Read back the QR codes we draw, in pure Python, so a test checks what a phone would open.

Reads segno's SVG path (one horizontal stroke per run of dark modules) into a module matrix and
decodes QR versions 1–10 in numeric, alphanumeric and byte mode. The drawings are exact, so no
error correction is needed: the data codewords are read as they are.
"""

import re
from urllib.parse import unquote

# (EC codewords per block, [(blocks, data codewords per block), …]) per version and level.
BLOCKS = {
    1: {"L": (7, [(1, 19)]), "M": (10, [(1, 16)]), "Q": (13, [(1, 13)]), "H": (17, [(1, 9)])},
    2: {"L": (10, [(1, 34)]), "M": (16, [(1, 28)]), "Q": (22, [(1, 22)]), "H": (28, [(1, 16)])},
    3: {"L": (15, [(1, 55)]), "M": (26, [(1, 44)]), "Q": (18, [(2, 17)]), "H": (22, [(2, 13)])},
    4: {"L": (20, [(1, 80)]), "M": (18, [(2, 32)]), "Q": (26, [(2, 24)]), "H": (16, [(4, 9)])},
    5: {
        "L": (26, [(1, 108)]),
        "M": (24, [(2, 43)]),
        "Q": (18, [(2, 15), (2, 16)]),
        "H": (22, [(2, 11), (2, 12)]),
    },
    6: {"L": (18, [(2, 68)]), "M": (16, [(4, 27)]), "Q": (24, [(4, 19)]), "H": (28, [(4, 15)])},
    7: {
        "L": (20, [(2, 78)]),
        "M": (18, [(4, 31)]),
        "Q": (18, [(2, 14), (4, 15)]),
        "H": (26, [(4, 13), (1, 14)]),
    },
    8: {
        "L": (24, [(2, 97)]),
        "M": (22, [(2, 38), (2, 39)]),
        "Q": (22, [(4, 18), (2, 19)]),
        "H": (26, [(4, 14), (2, 15)]),
    },
    9: {
        "L": (30, [(2, 116)]),
        "M": (22, [(3, 36), (2, 37)]),
        "Q": (20, [(4, 16), (4, 17)]),
        "H": (24, [(4, 12), (4, 13)]),
    },
    10: {
        "L": (18, [(2, 68), (2, 69)]),
        "M": (26, [(4, 43), (1, 44)]),
        "Q": (24, [(6, 19), (2, 20)]),
        "H": (28, [(6, 15), (2, 16)]),
    },
}
ALIGNMENT = {1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34]}
ALIGNMENT.update({7: [6, 22, 38], 8: [6, 24, 42], 9: [6, 26, 46], 10: [6, 28, 50]})
LEVELS = {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
MASKS = [
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
]


def matrix_from_svg(svg: str, *, border: int) -> list[list[bool]]:
    """The dark modules of a segno SVG (inline, or a data URI) as rows of booleans."""
    if svg.startswith("data:"):
        svg = unquote(svg.split(",", 1)[1])
    path = re.search(r"""\sd=["']([^"']+)["']""", svg).group(1)
    dark, x, y = set(), 0.0, 0.0
    for command, a, b in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:[\s,]+(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            end = float(a) if command == "H" else x + float(a)
            dark.update((int(col), int(y)) for col in range(int(x), int(end)))
            x = end
    size = max(col for col, _row in dark) - border + 1
    return [[(c + border, r + border) in dark for c in range(size)] for r in range(size)]


def _format(matrix):
    bits = [matrix[8][c] for c in range(6)] + [matrix[8][7], matrix[8][8], matrix[7][8]]
    bits += [matrix[r][8] for r in range(5, -1, -1)]
    read = int("".join("1" if bit else "0" for bit in bits), 2)
    for data in range(32):
        code = data << 10
        for shift in range(14, 9, -1):  # BCH(15, 5) remainder with generator 0x537
            if code & (1 << shift):
                code ^= 0x537 << (shift - 10)
        if ((data << 10) | code) ^ 0x5412 == read:
            return LEVELS[data >> 3], data & 0b111
    raise ValueError("No valid format information")


def _reserved(version, size):
    reserved = [[False] * size for _ in range(size)]

    def block(rows, cols):
        for r in rows:
            for c in cols:
                reserved[r][c] = True

    block(range(9), range(9))
    block(range(9), range(size - 8, size))
    block(range(size - 8, size), range(9))
    block([6], range(size))
    block(range(size), [6])
    centres = ALIGNMENT[version]
    for r in centres:
        for c in centres:
            if (r, c) in ((6, 6), (6, centres[-1]), (centres[-1], 6)):
                continue
            block(range(r - 2, r + 3), range(c - 2, c + 3))
    if version >= 7:
        block(range(6), range(size - 11, size - 8))
        block(range(size - 11, size - 8), range(6))
    return reserved


def decode(matrix: list[list[bool]]) -> str:
    size = len(matrix)
    version = (size - 17) // 4
    if version not in BLOCKS:
        raise ValueError(f"QR version {version} is not supported here")
    level, mask_number = _format(matrix)
    mask, reserved = MASKS[mask_number], _reserved(version, size)
    bits, upward, right = [], True, size - 1
    while right > 0:
        if right == 6:  # the vertical timing pattern is skipped as a whole column
            right = 5
        for r in range(size - 1, -1, -1) if upward else range(size):
            for c in (right, right - 1):
                if not reserved[r][c]:
                    bits.append(matrix[r][c] ^ mask(r, c))
        upward, right = not upward, right - 2
    codewords = [
        int("".join("1" if b else "0" for b in bits[i : i + 8]), 2)
        for i in range(0, len(bits) - 7, 8)
    ]
    _ec, groups = BLOCKS[version][level]
    lengths = [length for count, length in groups for _ in range(count)]
    blocks = [[] for _ in lengths]
    position = 0
    for index in range(max(lengths)):
        for number, length in enumerate(lengths):
            if index < length:
                blocks[number].append(codewords[position])
                position += 1
    stream = "".join(f"{byte:08b}" for block in blocks for byte in block)
    return _segments(stream, version)


def _segments(stream: str, version: int) -> str:
    text, at = [], 0

    def take(count):
        nonlocal at
        at += count
        return int(stream[at - count : at], 2)

    small = version <= 9
    while at + 4 <= len(stream):
        mode = take(4)
        if mode == 0:
            break
        if mode == 0b0100:  # byte
            text.append(bytes(take(8) for _ in range(take(8 if small else 16))).decode())
        elif mode == 0b0010:  # alphanumeric
            count = take(9 if small else 11)
            for _ in range(count // 2):
                pair = take(11)
                text.append(ALPHANUMERIC[pair // 45] + ALPHANUMERIC[pair % 45])
            if count % 2:
                text.append(ALPHANUMERIC[take(6)])
        elif mode == 0b0001:  # numeric
            count = take(10 if small else 12)
            for width, digits in [(10, 3)] * (count // 3) + [(None, count % 3)]:
                if digits:
                    text.append(str(take(width or {1: 4, 2: 7}[digits])).zfill(digits))
        else:
            raise ValueError(f"Mode {mode:04b} is not supported here")
    return "".join(text)


def decode_svg(svg: str, *, border: int) -> str:
    """The text a QR-code reader gets from a segno SVG."""
    return decode(matrix_from_svg(svg, border=border))
