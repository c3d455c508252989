"""Partner fixtures: the Kotabaru joint commitment, signed by three partners of three types."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from partners.models import Commitment, Partner, PartnerKind, Pledge, PledgeKind
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    PartnerFactory,
    PledgeFactory,
    ProgramFactory,
)

KELUMPANG_HILIR = "63.02.17"
LANGADAI = "63.02.17.2003"  # in Kelumpang Hilir


@dataclass(frozen=True)
class JointCommitment:
    commitment: Commitment
    bank: Partner  # Bank Kalsel Cabang Kotabaru, a BUMD
    bumdes: Partner  # BUMDes Pesona Rejo Jata Tegalrejo
    money: Pledge  # PT Arutmin (the `partner` fixture): Rp 500.000.000
    jobs: Pledge  # PT Arutmin: 20 people
    bank_money: Pledge  # Bank Kalsel: Rp 250.000.000
    goods: Pledge  # BUMDes: 2,5 tonnes of rice for Langadai


@pytest.fixture
def joint_commitment(db, partner) -> JointCommitment:
    """Signed on 4 October 2025 for KTB-WMP-2025, running to the end of 2026; no realisations."""
    bank = PartnerFactory(name="Bank Kalsel Cabang Kotabaru", kind=PartnerKind.BUMD)
    bumdes = PartnerFactory(name="BUMDes Pesona Rejo Jata Tegalrejo", kind=PartnerKind.BUMDES)
    commitment = CommitmentFactory(
        title="Komitmen Bersama Pemberdayaan Warga Miskin Produktif",
        program=ProgramFactory(code="KTB-WMP-2025", name="Pemberdayaan Warga Miskin Produktif"),
        signed_on=datetime.date(2025, 10, 4),
        start_date=datetime.date(2025, 10, 4),
        end_date=datetime.date(2026, 12, 31),
        partners=[partner, bank, bumdes],
    )
    return JointCommitment(
        commitment=commitment,
        bank=bank,
        bumdes=bumdes,
        money=PledgeFactory(commitment=commitment, partner=partner, quantity=500_000_000),
        jobs=PledgeFactory(
            commitment=commitment,
            partner=partner,
            kind=PledgeKind.JOBS,
            quantity=20,
            unit="orang",
            description="Tenaga kerja lokal",
        ),
        bank_money=PledgeFactory(commitment=commitment, partner=bank, quantity=250_000_000),
        goods=PledgeFactory(
            commitment=commitment,
            partner=bumdes,
            kind=PledgeKind.GOODS,
            quantity=Decimal("2.5"),
            unit="ton",
            description="Beras",
            village=AreaFactory(
                code=LANGADAI,
                name="Langadai",
                parent=AreaFactory(code=KELUMPANG_HILIR, name="Kelumpang Hilir"),
            ),
        ),
    )
