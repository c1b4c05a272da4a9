"""Applications, the seeded selection, the stipend ledger and its options,
with the figures of docs/selection.md and docs/stipend.md."""

import nearjob
from nearjob import ApplicationStatus as A
from nearjob import FacilityKind, Option, PostingStatus, Rounding, SelectionMethod

from . import support
from .support import RegistryTestCase


def round_with(slots, residents):
    """tests/test_application.c's round: posting 10 with `slots`, window
    20230220 .. 20230224, and `residents` residents born 1970."""
    reg = nearjob.Registry()
    reg.add_facility(1, FacilityKind.LIBRARY, "신가도서관", 35.1826649, 126.8278526)
    p = reg.add_posting(10, 1, "도서 정리", slots)
    p.work_period = (20230301, 20230731)
    p.application_window = (20230220, 20230224)
    p.hourly_stipend_krw = 11930
    for i in range(1, residents + 1):
        reg.add_participant(i, 19700101, False, 35.18, 126.82, 20230101)
    return reg


class Applications(RegistryTestCase):
    def test_every_rule(self):
        reg = self.keep(round_with(3, 4))
        p = reg.postings[10]
        reg.submit_application(1, 10, 20230220)
        self.assertIs(reg.application_status(1, 10), A.APPLIED)
        with self.assertRaises(nearjob.ExistsError) as cm:
            reg.submit_application(1, 10, 20230221)
        self.assertEqual(cm.exception.message, "participant 1 has already applied to posting 10")
        with self.assertRaises(nearjob.ClosedError) as cm:
            reg.submit_application(2, 10, 20230219)
        self.assertEqual(cm.exception.message,
                         "posting 10 on 20230219: the date is outside the application window")
        p.age_range = (19, 34)
        with self.assertRaises(nearjob.IneligibleError) as cm:
            reg.submit_application(2, 10, 20230221)
        self.assertEqual(cm.exception.message, "participant 2 is not eligible for posting 10: "
                         "age outside the posting's range")
        with self.assertRaises(nearjob.NotFoundError) as cm:
            reg.application_status(2, 10)
        self.assertEqual(cm.exception.message,
                         "nj_application_status: participant 2, posting 10")
        with self.assertRaises(nearjob.InUseError):
            reg.participants.remove(1)

    def test_early_close_at_seven_times_the_slots(self):
        reg = self.keep(round_with(3, 30))
        p = reg.postings[10]
        p.early_close_ratio = 7.0
        for i in range(1, 21):
            reg.submit_application(i, 10, 20230220)
        self.assertIs(p.status, PostingStatus.OPEN)
        reg.withdraw_application(20, 10)
        reg.submit_application(21, 10, 20230220)  # the 21st: 7 x 3
        self.assertIs(p.status, PostingStatus.CLOSED)
        with self.assertRaises(nearjob.ClosedError):
            reg.submit_application(22, 10, 20230220)
        self.assertEqual(p.application_count, 21)
        self.assertEqual(p.count_by_status(A.APPLIED), 20)
        self.assertEqual(p.count_by_status(A.WITHDRAWN), 1)

    def test_fixed_seed_gives_the_documented_draw(self):
        reg = self.keep(round_with(3, 6))
        for i in range(1, 7):
            reg.submit_application(i, 10, 20230220 + i % 3)
        p = reg.postings[10]
        self.assertIsNone(p.selection)
        self.assertEqual([a.rank for a in p.applications()], [0] * 6)
        reg.postings[10].select(SelectionMethod.LOTTERY, 20230301, 20230225)
        # splitmix64 from seed 20230301 (docs/selection.md): ranks 6, 3, 1, 4, 5, 2.
        by_rank = sorted(p.applications(), key=lambda a: a.rank)
        self.assertEqual([a.participant_id for a in by_rank], [6, 3, 1, 4, 5, 2])
        self.assertEqual([a.status for a in by_rank], [A.SELECTED] * 3 + [A.WAITLISTED] * 3)
        self.assertEqual(p.applications()[0],
                         nearjob.PostingApplication(1, A.SELECTED, 20230221, 3))
        self.assertEqual(p.selection, (SelectionMethod.LOTTERY, 20230301, 20230225))
        self.assertIs(p.status, PostingStatus.CLOSED)
        with self.assertRaises(nearjob.ClosedError):
            reg.postings[10].select(SelectionMethod.LOTTERY, 1, 20230225)
        reg.withdraw_application(3, 10)  # the head of the waitlist moves up
        self.assertIs(reg.application_status(3, 10), A.WITHDRAWN)
        self.assertIs(reg.application_status(4, 10), A.SELECTED)
        self.assertEqual(reg.participants[4].applications(),
                         [nearjob.ParticipantApplication(10, A.SELECTED, 20230221)])
        with self.assertRaises(nearjob.ClosedError):
            reg.withdraw_application(3, 10)
        with self.assertRaises(nearjob.InvalidError):
            reg.postings[10].select(3, 0, 20230225)
        with self.assertRaises(nearjob.RangeError):
            reg.postings[10].select(SelectionMethod.LOTTERY, -1, 20230225)  # seed is uint64_t


class Stipend(RegistryTestCase):
    def test_the_hundred_hour_cap_by_hand(self):
        reg = self.keep(support.two_jobs())
        support.record_forty_and_seventy_hours(reg)
        s = reg.stipend_statement(1, 20230615)
        # 110 h worked, 100 h paid, 10 h over;
        # 2 400 min x 11 930 / 60 = 477 200; 3 600 min x 10 030 / 60 = 601 800.
        self.assertEqual(s, nearjob.Statement(6600, 6000, 600, 0, 1079000))
        self.assertEqual(reg.work_entry(100), nearjob.WorkEntry(100, 1, 10, 20230301, 240, 240,
                                                                 47720, False))
        self.assertEqual(reg.work_entry(121).amount_krw, 50150)
        self.assertEqual(reg.work_entry(122)[5:7], (0, 0))
        self.assertEqual(reg.posting_totals(20, 20230101), (4200, 3600, 600, 601800))
        self.assertEqual(reg.programme_totals(20231231), (6600, 6000, 600, 1079000, False))
        self.assertEqual(reg.stipend_statement(1, 20240101).worked_minutes, 0)
        self.assertEqual(reg.work_entry_ids(), list(range(100, 124)))
        # Voiding a library day pays 240 of the first over-cap day's 300 minutes.
        reg.void_work(100)
        s = reg.stipend_statement(1, 20230615)
        self.assertEqual((s.worked_minutes, s.paid_minutes, s.over_cap_minutes), (6360, 6000, 360))
        self.assertEqual(s.amount_krw, 9 * 47720 + 12 * 50150 + 40120)
        self.assertEqual(s.amount_krw, 1071400)
        self.assertIs(reg.work_entry(100).voided, True)
        with self.assertRaises(nearjob.ClosedError):
            reg.void_work(100)
        with self.assertRaises(nearjob.ExistsError) as cm:
            reg.record_work(100, 1, 10, 20230301, 240)
        self.assertEqual(cm.exception.message, "entry 100 was already recorded")
        with self.assertRaises(nearjob.NotFoundError):
            reg.work_entry(999)

    def test_the_rate_is_fixed_once_paid(self):
        reg = self.keep(support.two_jobs())
        library = reg.postings[10]
        library.hourly_stipend_krw = 12000
        reg.record_work(1, 1, 10, 20230302, 60)
        with self.assertRaises(nearjob.InUseError) as cm:
            library.hourly_stipend_krw = 6000
        self.assertEqual(cm.exception.message,
                         "posting 10: hourly stipend cannot change after 1 work entries")
        self.assertEqual(reg.stipend_statement(1, 20230302).amount_krw, 12000)

    def test_cap_boundaries_and_rounding(self):
        reg = self.keep(support.two_jobs())
        reg.record_work_batch([(500 + i, 2, 20, 20230401 + i, 1440) for i in range(4)]
                              + [(504, 2, 20, 20230405, 239)])
        self.assertEqual(reg.stipend_statement(2, 20230615).remaining_minutes, 1)
        reg.record_work(505, 2, 20, 20230406, 2)
        e = reg.work_entry(505)
        self.assertEqual((e.paid_minutes, e.amount_krw), (1, 167))  # 10 030 / 60 = 167.17
        s = reg.stipend_statement(2, 20230615)
        self.assertEqual((s.paid_minutes, s.over_cap_minutes), (6000, 1))
        self.assertEqual(s.amount_krw, 962880 + 39952 + 167)

    def test_batches_are_all_or_nothing(self):
        reg = self.keep(support.two_jobs())
        reg.record_work(1, 1, 10, 20230301, 240)
        entries = [(2, 1, 10, 20230302, 240), (3, 2, 10, 20230302, 240),
                   (4, 1, 20, 20230402, 300), (3, 2, 20, 20230403, 300)]
        with self.assertRaises(nearjob.ExistsError) as cm:
            reg.record_work_batch(entries)
        self.assertEqual(cm.exception.message, "entry batch, item 3: entry 3 was already recorded")
        self.assertEqual(reg.work_entry_ids(), [1])
        entries[3] = (5,) + entries[3][1:]
        reg.record_work_batch(iter(entries))
        self.assertEqual(reg.work_entry_ids(), [1, 2, 3, 4, 5])
        reg.record_work_batch([])
        with self.assertRaises(nearjob.InvalidError):
            reg.record_work_batch([(6, 1, 10, 20230303)])
        with self.assertRaises(nearjob.RangeError):
            reg.record_work_batch([(6, 1, 10, 2 ** 31, 60)])
        with self.assertRaises(TypeError):
            reg.record_work_batch([(6, 1, 10, 20230303, 60.5)])

    def test_budget_rounding_and_options(self):
        reg = self.keep(support.two_jobs())
        self.assertEqual(reg.get_option(Option.STIPEND_CAP_MINUTES), 6000)
        self.assertEqual(reg.get_option(Option.PERIOD_START_MMDD), 101)
        self.assertEqual(reg.get_option(Option.IMPORT_MAX_FIELD_BYTES), 16 << 20)
        self.assertEqual(nearjob.option_bounds(Option.STIPEND_CAP_MINUTES), (0, 1000000))
        with self.assertRaises(nearjob.RangeError):
            reg.set_option(Option.PERIOD_START_MMDD, 229)
        with self.assertRaises(nearjob.UnsupportedError):
            reg.get_option(99)
        reg.set_option(Option.ROUNDING, Rounding.HALF_UP)
        reg.set_option(Option.BUDGET_KRW, 100000)
        reg.record_work(1, 1, 20, 20230401, 7)   # 1 170.17 -> 1 170
        reg.record_work(2, 1, 20, 20230402, 3)   # 501.5 -> 502 (half up)
        self.assertEqual([reg.work_entry(i).amount_krw for i in (1, 2)], [1170, 502])
        with self.assertRaises(nearjob.CapError):
            reg.record_work(3, 1, 20, 20230403, 590)
        reg.record_work(3, 1, 20, 20230403, 588)  # 98 294: 99 966 in all
        self.assertEqual(reg.programme_totals(20230101).amount_krw, 1170 + 502 + 98294)
        self.assertIs(reg.programme_totals(20230101).over_budget, False)
        reg.set_option(Option.BUDGET_KRW, 50000)
        self.assertIs(reg.programme_totals(20230101).over_budget, True)
        with self.assertRaises(nearjob.InUseError):
            reg.set_option(Option.STIPEND_CAP_MINUTES, 6000)
