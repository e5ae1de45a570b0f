import pytest

from .factories import SIRENS, company_with_coordinator, employee


@pytest.fixture
def company(db):
    company, _user = company_with_coordinator("Numérique Solidaire", SIRENS[0], slug="numsol")
    return company


@pytest.fixture
def coordinator(company):
    return company.coordinators.get().user


@pytest.fixture
def camille(company):
    return employee(company, "Camille Durand")


@pytest.fixture
def bruno(company):
    return employee(company, "Bruno Lefèvre")


@pytest.fixture
def outsider_company(db):
    """A company with no engagement with the association."""
    company, _user = company_with_coordinator("Autre Conseil", SIRENS[1], slug="autre")
    return company
