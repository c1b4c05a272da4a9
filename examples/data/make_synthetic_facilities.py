#!/usr/bin/env python3
"""Write facilities_gwangsan_synthetic.csv from admdong_gwangju_all.geojson.

The demo's welfare and children's centres are synthetic: the bundled data
has no list of them with coordinates. Each one is placed at the stored
area-weighted centroid (centroid_lat, centroid_lon) of a real Gwangsan-gu
neighbourhood, and its region is that neighbourhood:

* one children's centre (지역아동센터) in each of the 21 neighbourhoods,
  ids 1001..1021 in neighbourhood-code order;
* one welfare centre (복지관) in every second neighbourhood of that order
  (the 1st, 3rd, ..., 19th), ids 1022..1031, at the same point.

Every name ends in "(가상)" (synthetic). All 21 centroids lie inside their
own neighbourhood (checked with an even-odd test). Run from this folder:
    python3 make_synthetic_facilities.py > facilities_gwangsan_synthetic.csv
"""
import json
import sys

GWANGSAN = "29200"


def main():
    with open("admdong_gwangju_all.geojson", encoding="utf-8") as f:
        features = json.load(f)["features"]
    dongs = sorted((p["adm_cd2"], p["adm_nm"].split()[-1],
                    p["centroid_lat"], p["centroid_lon"])
                   for p in (ft["properties"] for ft in features)
                   if p["sgg"] == GWANGSAN)
    out = sys.stdout
    out.write("id,kind,name,lat,lon,region_id\r\n")
    next_id = 1001
    for code, name, lat, lon in dongs:
        out.write(f"{next_id},childrens_centre,{name} 지역아동센터 (가상),"
                  f"{lat},{lon},{code}\r\n")
        next_id += 1
    for code, name, lat, lon in dongs[0:20:2]:
        out.write(f"{next_id},welfare_centre,{name} 종합사회복지관 (가상),"
                  f"{lat},{lon},{code}\r\n")
        next_id += 1


if __name__ == "__main__":
    main()
