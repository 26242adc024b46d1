"""Synthetic CléA numérique dossiers for benchmarks: valid facts (contract §1), coherent histories, a fixed seed.

Each dossier is drawn from its own random generator seeded with "<seed>:<index>", so dossier i is the same
whatever the count, the size mix or the order of generation. Histories follow the regulation's procedures:
filing → instruction (complements, audition, avis, meeting) → decision; after a refusal, recourse or a new filing;
after an acceptance, the habilitation's life (first use, certificates, changes of situation and their
declaration, contact details, audits, formal notices with or without justification, withdrawals, renunciation,
renewal filings). Some deadlines are met, some are missed, on purpose.

    python bench/generate.py --count 1000 --size typical --seed 7 --output typical.jsonl
    python bench/generate.py --count 10 --size mixed -          # JSON lines on stdout
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta

FIRST_DAY = date(2019, 7, 1)      # the regulation is in force from 1 July 2019
LAST_DAY = date(2032, 12, 31)
LA_POSTE = "356000000"            # its SIRETs do not follow Luhn: never generated

TERRITOIRES = ["metropole"] * 10 + ["alsace-moselle"] * 2 + ["971", "972", "973", "974", "976"]
# target number of events per size (the history is cut at the target once long enough)
SIZES = {"small": (5, 5), "typical": (18, 22), "large": (55, 60)}
MIX = [("small", 2), ("typical", 6), ("large", 2)]
CRITERES = ["intervenants_qualifies", "couverture_referentiel", "accompagnement", "formation_preparatoire",
            "assurance_qualite"]
CHANGEMENTS = ["etablissement_ouvert", "etablissement_ferme", "denomination", "statut_juridique", "dirigeants",
               "siege", "fusion", "scission", "cession", "cessation", "liquidation", "redressement", "sauvegarde",
               "declaration_activite", "label_perdu"]
REGULARISATION = {"fusion", "scission", "cession", "cessation"}   # III.6: a new application within 6 months
MANQUEMENTS = ["tracabilite", "matrice_resultats", "evaluateur_non_qualifie", "modele_certificat",
               "coordonnees_plateforme", "evaluateur_formateur"]
VILLES = ["75011 Paris", "69002 Lyon", "13001 Marseille", "67000 Strasbourg", "57000 Metz", "31000 Toulouse",
          "44000 Nantes", "59000 Lille", "97110 Pointe-à-Pitre", "97200 Fort-de-France", "97300 Cayenne",
          "97400 Saint-Denis", "97600 Mamoudzou", "33000 Bordeaux", "35000 Rennes"]
DEMARCHES_QUALITE = ["Qualiopi", "ISO 9001", "Certif'Région", None]


# --- identifiers --------------------------------------------------------------------------------------------

def luhn_check_digit(digits: str) -> str:
    """The digit that makes `digits + check` pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:     # doubled: it will sit at an odd position once the check digit is appended
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def siren(rng: random.Random) -> str:
    while True:
        body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        number = body + luhn_check_digit(body)
        if number != LA_POSTE:
            return number


def siret(siren_number: str, nic: int) -> str:
    """SIREN + 4-digit NIC (≥ 1, never all zeros) + a check digit making all 14 digits Luhn-valid."""
    body = f"{siren_number}{nic:04d}"
    return body + luhn_check_digit(body)


# --- the organisation ---------------------------------------------------------------------------------------

def _organisme(rng: random.Random) -> dict:
    number = siren(rng)
    nics = rng.sample(range(1, 10000), rng.randint(1, 6))
    etablissements = [
        {"siret": siret(number, nic), "adresse": f"{rng.randint(1, 120)} rue de l'Exemple, {rng.choice(VILLES)}",
         "activite_clea": rng.random() < 0.8}
        for nic in nics
    ]
    etablissements[0]["activite_clea"] = True
    intervenants = []
    for index in range(rng.randint(2, 20)):
        roles = rng.choice([["evaluateur"], ["evaluateur"], ["formateur"], ["evaluateur", "formateur"]])
        person = {"id": f"I{index + 1}", "roles": roles, "cv": rng.random() < 0.95, "statut": "salarie",
                  "domaines": sorted(rng.sample([1, 2, 3, 4], rng.randint(1, 4)))}
        if rng.random() < 0.7:
            person["distanciel"] = rng.random() < 0.6
        # II, IV.1: which evaluators evaluate at a distance (only they must be competent for it). Drawn from a
        # stream of its own, so the rest of every generated dossier stays what it was.
        side = random.Random(f"{number}:{index}").random()
        if "evaluateur" in roles and side < (0.5 if person.get("distanciel") else 0.15):
            person["evalue_a_distance"] = True
        intervenants.append(person)
    return {
        "siren": number,
        "denomination": f"Organisme {number[:4]} Formation {rng.choice(['SAS', 'SARL', 'association', 'SA'])}",
        "declaration_activite": f"{rng.randint(11, 94)}{rng.randint(0, 999999999):09d}",
        "territoire": rng.choice(TERRITOIRES),
        "etablissements": etablissements,
        "intervenants": intervenants,
    }


def _demande(rng: random.Random) -> dict:
    """The application file; now and then a part is missing or a criterion lacks evidence."""
    complete = rng.random() < 0.85
    technique = {
        "domaines_couverts": [1, 2, 3, 4] if rng.random() < 0.9 else sorted(rng.sample([1, 2, 3, 4], 3)),
        "presentation": {"definition": True, "schemas": rng.random() < 0.9, "exemples": rng.random() < 0.9},
        "accompagnement": rng.random() < 0.95,
        "formation_preparatoire": rng.random() < 0.9,
        "modalites": sorted(rng.sample(["presentiel", "distanciel_partiel", "distanciel_total"], rng.randint(1, 2))),
    }
    qualite = rng.choice(DEMARCHES_QUALITE)
    if qualite:
        technique["demarche_qualite"] = qualite
    demande = {
        "partie_administrative": {"situation_juridique": True},
        "partie_technique": technique,
        "perimetre": {"geographique": rng.choice(["France entière", "Île-de-France", "Grand Est", "Occitanie",
                                                  "Outre-mer"]), "champ_professionnel": None},
        "contextualisation": {},
    }
    if not complete:
        del demande[rng.choice(["partie_administrative", "partie_technique", "perimetre"])]
    return demande


def _beneficiaires(rng: random.Random, intervenants: list[dict]) -> list[dict]:
    evaluateurs = [p["id"] for p in intervenants if "evaluateur" in p["roles"]] or [intervenants[0]["id"]]
    formateurs = [p["id"] for p in intervenants if "formateur" in p["roles"]] or [intervenants[-1]["id"]]
    out = []
    for index in range(rng.randint(0, 8)):
        out.append({"id": f"P{index + 1}", "evaluateurs": [rng.choice(evaluateurs)],
                    "formateurs": [rng.choice(formateurs)]})
    return out


def _mandataire(rng: random.Random, own_siren: str):
    if rng.random() < 0.85:
        return None
    return {"nom": "Réseau Exemple Formation", "justificatif_mandat": rng.random() < 0.8,
            "candidats": [own_siren] + [siren(rng) for _ in range(rng.randint(0, 3))]}


# --- the history ----------------------------------------------------------------------------------------------

class _History:
    """Events in the making; `day` is the story's clock."""

    def __init__(self, rng: random.Random, start: date):
        self.rng = rng
        self.day = start
        self.events: list[dict] = []

    def later(self, low: int, high: int) -> date:
        return self.day + timedelta(days=self.rng.randint(low, high))

    def add(self, kind: str, day: date, **attributes) -> None:
        if day <= LAST_DAY:
            self.events.append({"type": kind, "date": day.isoformat(), **attributes})

    def advance(self, day: date) -> None:
        self.day = max(self.day, day)

    @property
    def over(self) -> bool:
        return self.day > LAST_DAY


def _instruction(h: _History) -> str:
    """Filing to decision (III.1, III.3, III.4). Returns the decision ('acceptation' or 'refus')."""
    rng = h.rng
    h.add("demande_deposee", h.day)
    if rng.random() < 0.3:
        asked = h.later(7, 30)
        h.add("complement_demande", asked)
        h.advance(asked)
        if rng.random() < 0.85:
            received = h.later(5, 40)
            h.add("complement_recu", received)
            h.advance(received)
    meeting = h.later(45, 100)
    if rng.random() < 0.35:
        audition = meeting - timedelta(days=rng.randint(3, 20))
        h.add("convocation_audition", audition - timedelta(days=rng.randint(7, 21)))   # ~8 working days, or less
        h.add("audition", audition)
    h.add("avis_emis", meeting - timedelta(days=rng.randint(2, 15)), sens=rng.choice(["favorable"] * 3 + ["defavorable"]))
    h.add("reunion_instance", meeting)
    notified = meeting + timedelta(days=rng.randint(5, 35))      # 20 working days ≈ 28 days: sometimes late
    decision = "acceptation" if rng.random() < 0.75 else "refus"
    attributes = {"decision": decision}
    if decision == "refus":
        attributes["motifs"] = sorted(rng.sample(CRITERES, rng.randint(1, 2)))
    h.add("decision_notifiee", notified, **attributes)
    h.advance(notified)
    return decision


def _recours(h: _History) -> None:
    """III.7: recourse after a refusal, acknowledged and examined (in time or not)."""
    rng = h.rng
    filed = h.later(3, 50)                                  # 30 working days ≈ 42 days: sometimes lapsed
    h.add("recours_depose", filed)
    h.advance(filed)
    if rng.random() < 0.9:
        h.add("recours_accuse_reception", h.later(2, 18))
    if rng.random() < 0.85:
        examined = h.later(10, 45)
        h.add("recours_avis", examined)
        h.advance(examined)


def _certificats(h: _History, until: date) -> None:
    rng = h.rng
    day = h.later(20, 120)
    while day <= until and rng.random() < 0.8:
        h.add("certificats_delivres", day, nombre=rng.randint(1, 40))
        day += timedelta(days=rng.randint(40, 150))


def _conformite(h: _History, suspension: bool) -> str | None:
    """V.2/V.3: formal notice, justification or not, the Instance's decision or silence. Returns 'retire' or None."""
    rng = h.rng
    notice = h.later(10, 40)
    withdrawal = notice + timedelta(days=rng.randint(50, 90))
    h.add("mise_en_demeure", notice, date_retrait=withdrawal.isoformat(), suspension=suspension,
          manquements=sorted(rng.sample(MANQUEMENTS, rng.randint(1, 3))))
    h.advance(notice)
    if rng.random() < 0.25:                                 # no justification: withdrawal at the notice's date
        h.advance(withdrawal)
        if rng.random() < 0.5:
            h.add("retrait_notifie", h.later(0, 20))
        return "retire"
    justified = h.later(5, 50)                              # 30 working days ≈ 42 days: sometimes late
    h.add("justification_recue", justified)
    h.advance(justified)
    if rng.random() < 0.2:                                  # Instance silent: measures deemed sufficient
        return None
    decided = h.later(10, 50)
    issue = rng.choice(["maintien", "maintien", "periode_complementaire", "retrait"])
    if issue == "periode_complementaire":                   # « dans les mêmes conditions »: its own withdrawal date
        h.add("decision_conformite_notifiee", decided, issue=issue, suspension=suspension,
              date_retrait=(decided + timedelta(days=rng.randint(50, 90))).isoformat())
    else:
        h.add("decision_conformite_notifiee", decided, issue=issue)
    h.advance(decided)
    if issue == "retrait":
        return "retire"
    if issue == "periode_complementaire" and rng.random() < 0.7:
        again = h.later(10, 50)
        h.add("justification_recue", again)
        h.advance(again)
    if rng.random() < 0.15:                                 # new failure within 12 months → withdrawal
        found = h.later(30, 330)
        h.add("manquement_constate", found)
        h.advance(found)
        if rng.random() < 0.7:
            h.add("retrait_notifie", h.later(5, 40))
        return "retire"
    return None


def _habilitation(h: _History, notified: date) -> str:
    """Life of an habilitation notified on `notified` (III.5, III.6, IV.1, V). Returns how it ended:
    'retire', 'renonce', 'regularisation' (new filing after a merger...), or 'fin' (its term)."""
    rng = h.rng
    term = notified + timedelta(days=6 * 365 if rng.random() < 0.85 else 3 * 365)
    if rng.random() < 0.88:
        h.add("habilitation_mise_en_oeuvre", h.later(15, 300))
    while not h.over:
        step = h.later(30, 300)
        if step >= term:
            break
        h.advance(step)
        _certificats(h, min(term, h.day + timedelta(days=365)))
        roll = rng.random()
        if roll < 0.25:
            nature = rng.choice(CHANGEMENTS)
            h.add("changement_situation", h.day, nature=nature)
            if rng.random() < 0.8:
                h.add("changement_declare", h.later(3, 50), nature=nature)   # 30 days: sometimes late
            if nature in REGULARISATION:
                if rng.random() < 0.7:
                    h.advance(h.later(30, 200))                               # 6 months: sometimes late
                    return "regularisation"
                if nature == "cessation":
                    return "fin"
        elif roll < 0.4:
            h.add("coordonnees_modifiees", h.day)
            if rng.random() < 0.8:
                h.add("coordonnees_plateforme_mises_a_jour", h.later(0, 9))  # 5 days: sometimes late
        elif roll < 0.7:
            if rng.random() < 0.04:
                h.add("refus_audit", h.day, ecrit=rng.random() < 0.5)
                return "retire"
            avis = rng.choice(["favorable"] * 3 + ["favorable_avec_reserves"] * 2 + ["defavorable"])
            h.add("audit_rapport", h.day, avis=avis)
            if rng.random() < 0.4:
                h.add("audit_observations", h.later(3, 25))
            if avis != "favorable" and _conformite(h, suspension=avis == "defavorable") == "retire":
                return "retire"
        elif roll < 0.73:
            h.add("renonciation_recue", h.day)
            h.advance(h.later(90, 120))
            return "renonce"
    # near the end of the term: a new application, usually in time
    h.advance(term - timedelta(days=rng.randint(-30, 200)))
    return "fin"


def _history(rng: random.Random, target: int) -> list[dict]:
    # longer histories start earlier, so that they fit before LAST_DAY
    latest_start = date(2031, 6, 30) if target <= 6 else date(2029, 12, 31) if target <= 25 else date(2022, 6, 30)
    start = FIRST_DAY + timedelta(days=rng.randint(0, (latest_start - FIRST_DAY).days))
    h = _History(rng, start)
    while not h.over and len(h.events) < target:
        decision = _instruction(h)
        if decision == "refus":
            if rng.random() < 0.4:
                _recours(h)
            h.advance(h.later(30, 400))              # addressed the motives: a new filing
            continue
        ending = _habilitation(h, h.day)
        if ending in ("retire", "renonce"):
            h.advance(h.later(180, 700))             # a fresh application, later
    events = sorted(h.events, key=lambda event: event["date"])[:target]
    if rng.random() < 0.1:                           # the contract says order does not matter
        rng.shuffle(events)
    return events


def dossier(seed: int, index: int, size: str = "typical") -> dict:
    """The index-th dossier of a seed; size is small (~5 events), typical (~20), large (~60) or mixed."""
    rng = random.Random(f"{seed}:{index}")
    if size == "mixed":
        size = rng.choices([name for name, _ in MIX], weights=[weight for _, weight in MIX])[0]
    low, high = SIZES[size]
    target = rng.randint(low, high)
    organisme = _organisme(rng)
    events: list[dict] = []
    while len(events) < low:                         # a late start may leave too short a history: draw again
        events = _history(rng, target)
    return {
        "organisme": organisme,
        "instance": "certifpro",
        "mandataire": _mandataire(rng, organisme["siren"]),
        "demande": _demande(rng),
        "beneficiaires": _beneficiaires(rng, organisme["intervenants"]),
        "evenements": events,
    }


def dossiers(count: int, *, seed: int = 1, size: str = "typical", start: int = 0) -> Iterator[dict]:
    for index in range(start, start + count):
        yield dossier(seed, index, size)


def write_jsonl(stream, count: int, *, seed: int = 1, size: str = "typical") -> None:
    for facts in dossiers(count, seed=seed, size=size):
        stream.write(json.dumps(facts, ensure_ascii=False, separators=(",", ":")))
        stream.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate synthetic CléA numérique dossiers as JSON lines.")
    parser.add_argument("output", nargs="?", default="-", help="output file, or - for stdout (default)")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", choices=[*SIZES, "mixed"], default="typical")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be ≥ 0")
    if args.output == "-":
        write_jsonl(sys.stdout, args.count, seed=args.seed, size=args.size)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as stream:
                write_jsonl(stream, args.count, seed=args.seed, size=args.size)
        except OSError as exc:
            print(f"generate: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
