"""How much randomness a configured key holds, so production refuses one that can be guessed.

A key's entropy cannot be measured, only bounded: each character can be at most one of the
alphabet its kind of characters suggests (hex digits, letters and digits, base64, any printable),
and a key of few distinct characters or a repeated run is not random whatever its length.
"""

import math
import string
import zlib

MIN_KEY_BITS = 256  # 32 random bytes
HOW_TO_MAKE_ONE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"

_ALPHABETS = (
    set(string.digits),
    set(string.hexdigits.lower()),
    set(string.hexdigits.upper()),
    set(string.ascii_lowercase + string.digits),
    set(string.ascii_letters + string.digits),
    set(string.ascii_letters + string.digits + "-_+/="),
    set(string.printable) - set(string.whitespace),
)


def estimated_bits(key: str | bytes) -> int:
    """An upper bound on the bits of randomness in `key`."""
    text = key.decode("latin-1") if isinstance(key, bytes) else key
    if not text:
        return 0
    alphabet = next((len(a) for a in _ALPHABETS if set(text) <= a), 256)
    by_alphabet = len(text) * math.log2(alphabet)
    # A run or pattern compresses well; random text does not (deflate spends ~8 bits on each literal).
    packed = zlib.compress(text.encode("utf-8"), 9)
    by_pattern = (len(packed) - 8) * 8
    by_variety = len(text) * math.log2(max(len(set(text)), 1))
    return int(min(by_alphabet, by_pattern, 2 * by_variety))


def weak_key_problem(name: str, key: str | bytes | None) -> str | None:
    """Why `key` is unfit to sign or key anything in production, with how to make one; None if fit."""
    if not key:
        return (
            f"{name} is not set. In production the portal refuses to start without it: set {name} to {HOW_TO_MAKE_ONE}"
        )
    bits = estimated_bits(key)
    if bits < MIN_KEY_BITS:
        return (
            f"{name} holds at most about {bits} bits of randomness; the portal needs {MIN_KEY_BITS} "
            f"(32 random bytes) so it cannot be guessed. Make one with {HOW_TO_MAKE_ONE}"
        )
    return None
