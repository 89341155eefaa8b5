from datetime import date

from govtrack import deadlines

TODAY = date(2026, 12, 1)


def test_a_date_before_today_is_overdue_and_today_is_due_today_not_overdue():
    assert deadlines.is_overdue(date(2026, 11, 30), TODAY)
    assert not deadlines.is_overdue(TODAY, TODAY) and deadlines.is_due_today(TODAY, TODAY)
    assert not deadlines.is_overdue(date(2026, 12, 2), TODAY)
    assert deadlines.days_overdue(date(2026, 11, 28), TODAY) == 3
    assert deadlines.days_overdue(TODAY, TODAY) == 0


def test_nothing_without_a_date_or_already_finished_is_overdue():
    assert not deadlines.is_overdue(None, TODAY)
    assert not deadlines.is_overdue(date(2020, 1, 1), TODAY, finished=True)
    assert deadlines.days_overdue(date(2020, 1, 1), TODAY, finished=True) == 0
