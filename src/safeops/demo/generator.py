"""A deterministic, fictional, county-sized school district for demos and tests.

The district is the project's own invention: names are drawn from word lists and
locations from a seeded random layout around a fictional county seat. Nothing is copied
from real district data. The same seed always gives the same district.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from safeops.schools.choices import SchoolLevel

DISTRICT_NAME = "Riverbend County Public Schools"
# Centre of the fictional county (a rural area chosen so no real district is implied).
CENTRE_LAT, CENTRE_LON = 38.62, -86.35
KM_PER_DEGREE_LAT = 111.32

PLACE_WORDS = (
    "Ash Grove",
    "Bell Creek",
    "Birch Hollow",
    "Bluff Road",
    "Briar Ridge",
    "Cedar Point",
    "Clover",
    "Copper Run",
    "Crestwood",
    "Deer Park",
    "Eagle Rock",
    "Elm Street",
    "Fairview",
    "Falls City",
    "Fern Valley",
    "Fox Run",
    "Glen Haven",
    "Granite Hill",
    "Harbor View",
    "Hawthorne",
    "Heron Lake",
    "Hickory Bend",
    "Highland",
    "Holly Springs",
    "Indian Trail",
    "Iron Gate",
    "Juniper",
    "Kestrel",
    "Lakeside",
    "Laurel",
    "Lime Kiln",
    "Linden",
    "Locust Grove",
    "Maple Ridge",
    "Meadowbrook",
    "Mill Creek",
    "Mockingbird",
    "North Point",
    "Oak Hollow",
    "Old Mill",
    "Orchard",
    "Otter Creek",
    "Park Hill",
    "Pine Knob",
    "Pleasant Ridge",
    "Poplar Level",
    "Prairie Dell",
    "Quarry Road",
    "Red Oak",
    "Riverside",
    "Rock Spring",
    "Rolling Hills",
    "Rose Hill",
    "Saddle Ridge",
    "Sand Hill",
    "Shady Lane",
    "Silver Creek",
    "Spring Valley",
    "Stone Bridge",
    "Sugar Tree",
    "Summit",
    "Sunny Brook",
    "Sycamore",
    "Tall Pines",
    "Thornhill",
    "Timber Ridge",
    "Tulip Grove",
    "Twin Oaks",
    "Union Mill",
    "Valley View",
    "Walnut Hill",
    "Westport",
    "Whispering Pines",
    "Wild Rose",
    "Willow Bend",
    "Windy Hill",
    "Wolf Pen",
    "Woodland",
    "Yellow Bank",
    "Zion Hill",
)
FIRST_NAMES = (
    "Aisha",
    "Andre",
    "Ana",
    "Ben",
    "Carla",
    "Chen",
    "Dana",
    "David",
    "Elena",
    "Eli",
    "Fatima",
    "Grace",
    "Hector",
    "Imani",
    "Jamal",
    "Jin",
    "Karen",
    "Kofi",
    "Laura",
    "Luis",
    "Maya",
    "Marcus",
    "Nadia",
    "Noah",
    "Olga",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Tyrone",
    "Uma",
    "Victor",
    "Wendy",
    "Xavier",
    "Yara",
    "Zoe",
)
LAST_NAMES = (
    "Abbott",
    "Baker",
    "Carter",
    "Diaz",
    "Edwards",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jackson",
    "Kim",
    "Lopez",
    "Mensah",
    "Nguyen",
    "Owens",
    "Patel",
    "Quintero",
    "Reed",
    "Singh",
    "Turner",
    "Usman",
    "Vargas",
    "Washington",
    "Xu",
    "Young",
    "Zimmerman",
)

# Share of the non-cluster programs in a district of `schools` schools.
ALTERNATIVE_SHARE = 0.05
EARLY_CHILDHOOD_SHARE = 0.035
SPECIAL_PROGRAM_SHARE = 0.035
SCHOOLS_PER_CLUSTER = 7.5
ZONE_MAX_SCHOOLS = 7
UNCOVERED_ZONES = 2  # zones left without an officer, to show the hiring gap


@dataclass
class DemoSchool:
    key: str
    name: str
    level: SchoolLevel
    grade_low: str
    grade_high: str
    latitude: float
    longitude: float
    enrollment: int
    address: str
    cluster: int | None
    feeder_key: str | None


@dataclass
class DemoZone:
    name: str
    high_school_key: str | None
    school_keys: list[str]
    post_key: str
    dedicated: bool = False


@dataclass
class DemoPerson:
    full_name: str
    role: str
    username: str | None = None
    school_keys: list[str] = field(default_factory=list)
    zone_name: str | None = None
    phone: str = ""
    badge_number: str = ""


@dataclass
class DemoDistrict:
    name: str
    schools: list[DemoSchool]
    zones: list[DemoZone]
    people: list[DemoPerson]


def _offset(rng: random.Random, lat: float, lon: float, sigma_km: float) -> tuple[float, float]:
    d_lat = rng.gauss(0, sigma_km) / KM_PER_DEGREE_LAT
    d_lon = rng.gauss(0, sigma_km) / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return round(lat + d_lat, 6), round(lon + d_lon, 6)


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.places = list(PLACE_WORDS)
        rng.shuffle(self.places)
        self.used: set[str] = set()
        self.rng = rng
        self.people: set[str] = set()

    def school(self, suffix: str) -> str:
        for place in self.places:
            name = f"{place} {suffix}"
            if name not in self.used:
                self.used.add(name)
                return name
        index = len(self.used)
        name = f"{self.places[index % len(self.places)]} {suffix} {index}"
        self.used.add(name)
        return name

    def person(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.people or len(self.people) > 900:
                self.people.add(name)
                return name


def _cluster_centres(rng: random.Random, count: int) -> list[tuple[float, float]]:
    """Cluster centres on a jittered grid about 7 km apart, around the county seat."""
    side = math.ceil(math.sqrt(count))
    spacing_km = 7.0
    centres = []
    for index in range(count):
        row, col = divmod(index, side)
        x_km = (col - (side - 1) / 2) * spacing_km + rng.uniform(-1.5, 1.5)
        y_km = (row - (side - 1) / 2) * spacing_km + rng.uniform(-1.5, 1.5)
        lat = CENTRE_LAT + y_km / KM_PER_DEGREE_LAT
        lon = CENTRE_LON + x_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(CENTRE_LAT)))
        centres.append((lat, lon))
    return centres


def _split_zones(
    schools: list[DemoSchool], high: DemoSchool, max_size: int
) -> list[list[DemoSchool]]:
    """Split a feeder area into ceil(n/max) near-equal zones: sectors around its high school."""
    count = max(1, math.ceil(len(schools) / max_size))
    ordered = sorted(
        schools,
        key=lambda s: math.atan2(s.latitude - high.latitude, s.longitude - high.longitude),
    )
    size, extra = divmod(len(ordered), count)
    zones, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        zones.append(ordered[start:end])
        start = end
    return zones


def generate_district(*, seed: int = 7, schools: int = 150) -> DemoDistrict:
    """Build the demo district. About `schools` schools in about schools/7.5 feeder clusters."""
    if schools < 8:
        raise ValueError("A demo district needs at least 8 schools.")
    rng = random.Random(seed)
    names = _Names(rng)
    n_alternative = max(1, round(schools * ALTERNATIVE_SHARE))
    n_early = max(1, round(schools * EARLY_CHILDHOOD_SHARE))
    n_special = max(1, round(schools * SPECIAL_PROGRAM_SHARE))
    n_clustered = schools - n_alternative - n_early - n_special
    n_clusters = max(1, round(n_clustered / SCHOOLS_PER_CLUSTER))
    centres = _cluster_centres(rng, n_clusters)
    base, remainder = divmod(n_clustered, n_clusters)
    result: list[DemoSchool] = []
    highs: list[DemoSchool] = []
    counter = 0

    def add(
        level: SchoolLevel, lat: float, lon: float, cluster: int | None, feeder: str | None
    ) -> DemoSchool:
        nonlocal counter
        counter += 1
        key = f"{counter:03d}"
        suffix, grades, mean, spread = {
            SchoolLevel.ELEMENTARY: ("Elementary", ("K", "5"), 480, 110),
            SchoolLevel.MIDDLE: ("Middle", ("6", "8"), 820, 180),
            SchoolLevel.HIGH: ("High", ("9", "12"), 1450, 320),
            SchoolLevel.COMBINED: ("School", ("6", "12"), 1100, 250),
            SchoolLevel.ALTERNATIVE: ("Academy", ("6", "12"), 140, 50),
            SchoolLevel.EARLY_CHILDHOOD: ("Early Learning Center", ("PK", "PK"), 180, 50),
            SchoolLevel.SPECIAL_PROGRAM: ("Learning Center", ("K", "12"), 70, 30),
        }[level]
        if level == SchoolLevel.ELEMENTARY and rng.random() < 0.4:
            grades = ("PK", "5")
        school = DemoSchool(
            key=key,
            name=names.school(suffix),
            level=level,
            grade_low=grades[0],
            grade_high=grades[1],
            latitude=lat,
            longitude=lon,
            enrollment=max(15, round(rng.gauss(mean, spread))),
            address=f"{rng.randint(100, 9900)} {rng.choice(names.places)} Rd, Riverbend",
            cluster=cluster,
            feeder_key=feeder,
        )
        result.append(school)
        return school

    for cluster, (lat, lon) in enumerate(centres):
        size = base + (1 if cluster < remainder else 0)
        combined = cluster == n_clusters - 1 and n_clusters > 4
        high = add(SchoolLevel.COMBINED if combined else SchoolLevel.HIGH, lat, lon, cluster, None)
        high.feeder_key = high.key
        highs.append(high)
        middles = 1 if size < 7 else 2
        for _ in range(min(middles, size - 1)):
            add(SchoolLevel.MIDDLE, *_offset(rng, lat, lon, 2.2), cluster, high.key)
        while sum(1 for s in result if s.cluster == cluster) < size:
            add(SchoolLevel.ELEMENTARY, *_offset(rng, lat, lon, 3.0), cluster, high.key)

    def nearest_cluster(lat: float, lon: float) -> int:
        return min(
            range(n_clusters), key=lambda c: (centres[c][0] - lat) ** 2 + (centres[c][1] - lon) ** 2
        )

    programs = (
        [SchoolLevel.ALTERNATIVE] * n_alternative
        + [SchoolLevel.EARLY_CHILDHOOD] * n_early
        + [SchoolLevel.SPECIAL_PROGRAM] * n_special
    )
    for level in programs:
        lat, lon = _offset(rng, CENTRE_LAT, CENTRE_LON, 9.0)
        program_cluster = nearest_cluster(lat, lon) if level != SchoolLevel.ALTERNATIVE else None
        add(level, lat, lon, program_cluster, None)

    zones: list[DemoZone] = []
    for cluster, high in enumerate(highs):
        members = [s for s in result if s.cluster == cluster]
        for index, part in enumerate(_split_zones(members, high, ZONE_MAX_SCHOOLS), start=1):
            post = high if high in part else max(part, key=lambda s: s.enrollment)
            zones.append(
                DemoZone(f"{high.name} {index}", high.key, [s.key for s in part], post.key)
            )
    for school in result:
        if school.level == SchoolLevel.ALTERNATIVE:
            zones.append(
                DemoZone(
                    f"{school.name} (dedicated)", None, [school.key], school.key, dedicated=True
                )
            )

    people = _staff(rng, names, result, zones)
    return DemoDistrict(name=DISTRICT_NAME, schools=result, zones=zones, people=people)


def _phone(rng: random.Random) -> str:
    return f"555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def _staff(
    rng: random.Random, names: _Names, schools: list[DemoSchool], zones: list[DemoZone]
) -> list[DemoPerson]:
    people = [
        DemoPerson(names.person(), "security_chief", username="demo-chief", phone=_phone(rng))
    ]
    people += [
        DemoPerson(names.person(), "dispatcher", username="demo-dispatcher" if i == 0 else None)
        for i in range(3)
    ]
    covered = zones[: max(1, len(zones) - UNCOVERED_ZONES)]
    for index, zone in enumerate(covered):
        people.append(
            DemoPerson(
                names.person(),
                "sso",
                username="demo-sso" if index == 0 else None,
                zone_name=zone.name,
                phone=_phone(rng),
                badge_number=f"S{100 + index}",
            )
        )
    secondary = [
        s
        for s in schools
        if s.level in (SchoolLevel.MIDDLE, SchoolLevel.HIGH, SchoolLevel.COMBINED)
    ]
    # The demo SA login covers the first cluster's high school and one of its middle schools.
    first_high = secondary[0]
    partner = next(s for s in secondary if s.cluster == first_high.cluster and s is not first_high)
    people.append(
        DemoPerson(
            names.person(),
            "safety_administrator",
            username="demo-sa",
            school_keys=[first_high.key, partner.key],
            phone=_phone(rng),
        )
    )
    for school in secondary:
        if school in (first_high, partner):
            continue
        people.append(
            DemoPerson(
                names.person(), "safety_administrator", school_keys=[school.key], phone=_phone(rng)
            )
        )
    # Some SAs cover a group of elementary schools.
    for cluster in sorted({s.cluster for s in schools if s.cluster is not None})[:3]:
        group = [
            s.key for s in schools if s.cluster == cluster and s.level == SchoolLevel.ELEMENTARY
        ][:3]
        if group:
            people.append(DemoPerson(names.person(), "safety_administrator", school_keys=group))
    for school in schools:
        people.append(
            DemoPerson(
                names.person(),
                "principal",
                username="demo-principal" if school is first_high else None,
                school_keys=[school.key],
            )
        )
    for index, school in enumerate(secondary):
        people.append(
            DemoPerson(
                names.person(),
                "counselor",
                username="demo-counselor" if index == 0 else None,
                school_keys=[school.key],
            )
        )
        if school.level != SchoolLevel.MIDDLE:
            people.append(
                DemoPerson(
                    names.person(),
                    "security_monitor",
                    username="demo-monitor" if school is first_high else None,
                    school_keys=[school.key],
                )
            )
    district_roles = [
        ("mental_health_practitioner", 4, "demo-mhp"),
        ("court_liaison", 2, "demo-court-liaison"),
        ("violence_prevention_specialist", 2, "demo-violence-prevention"),
        ("training_coordinator", 1, "demo-training"),
        ("community_monitor", 3, "demo-community"),
    ]
    for role, count, username in district_roles:
        for index in range(count):
            people.append(
                DemoPerson(names.person(), role, username=username if index == 0 else None)
            )
    return people
