#!/usr/bin/env python3
"""A seeded synthetic world as CSV files, for timing `nearjob import` and
`nearjob match --all` at sizes the demo does not reach.

usage: make_world.py OUT_DIR [--participants N] [--postings P]
                     [--facilities F] [--radius M] [--seed S]

Writes OUT_DIR/facilities.csv, postings.csv and participants.csv: points
uniform over Gwangju's bounding box (35.05-35.26 N, 126.65-127.02 E),
every posting open from 2023-03-01 to 03-10 with the given radius and no
other restriction. Import them with the bundled boundaries:

    nearjob import -s big.nj --new --regions examples/data/admdong_gwangju_all.geojson \
        --csv facilities=OUT/facilities.csv --csv postings=OUT/postings.csv \
        --csv participants=OUT/participants.csv
    nearjob match -s big.nj --all --date 20230301 --csv > /dev/null
"""
import argparse
import os
import random

LAT = (35.05, 35.26)
LON = (126.65, 127.02)


def point(rng):
    return (f"{rng.uniform(*LAT):.7f}", f"{rng.uniform(*LON):.7f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--participants", type=int, default=200000)
    ap.add_argument("--postings", type=int, default=2000)
    ap.add_argument("--facilities", type=int, default=500)
    ap.add_argument("--radius", type=float, default=1500)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    kinds = ["library", "welfare_centre", "childrens_centre", "senior_centre"]
    with open(os.path.join(a.out, "facilities.csv"), "w", encoding="utf-8") as f:
        f.write("id,kind,name,lat,lon\n")
        for i in range(1, a.facilities + 1):
            lat, lon = point(rng)
            f.write(f"{i},{kinds[i % len(kinds)]},시설 {i},{lat},{lon}\n")
    with open(os.path.join(a.out, "postings.csv"), "w", encoding="utf-8") as f:
        f.write("id,facility_id,title,slots,hourly_stipend_krw,work_start,work_end,"
                "apply_open,apply_close,radius_m\n")
        for i in range(1, a.postings + 1):
            f.write(f"{i},{rng.randint(1, a.facilities)},일자리 {i},{rng.randint(1, 5)},"
                    f"11930,2023-03-15,2023-06-30,2023-03-01,2023-03-10,{a.radius:g}\n")
    with open(os.path.join(a.out, "participants.csv"), "w", encoding="utf-8") as f:
        f.write("id,birth_date,foreign,lat,lon,verified_date\n")
        for i in range(1, a.participants + 1):
            lat, lon = point(rng)
            born = f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f.write(f"{i},{born},{int(rng.random() < 0.08)},{lat},{lon},2023-02-01\n")


if __name__ == "__main__":
    main()
