"""Money is whole Rupiah, held in ``Decimal``: the one rounding rule every amount follows."""

from decimal import ROUND_HALF_UP, Decimal

WHOLE_RUPIAH = Decimal("1")


def whole_rupiah(amount):
    """``amount`` in whole Rupiah; a half Rupiah rounds up (ROUND_HALF_UP), as cashiers do."""
    return Decimal(amount).quantize(WHOLE_RUPIAH, rounding=ROUND_HALF_UP)
