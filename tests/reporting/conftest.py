"""Reporting reads the registers and the catalogue: their fixtures serve here too."""

from tests.registers.conftest import (  # noqa: F401
    corporate,
    directorate_a,
    directorate_register,
    make_risk,
    matrix_a,
    project,
    project_owner,
)
