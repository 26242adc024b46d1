"""Issue 25, "pages a secretary reads without help": what the verdict page, the journal and the parameters show a
person — the policy's words, never its internal codes; one numbering of the events; a formal notice's withdrawal
date with what happens without a justification; no avis proposed when no application is under instruction; one
article per status; a suspension not coloured like a habilitation in force."""
from __future__ import annotations

import html
import re

import yaml

from .conftest import JOURNAL_TOKEN, ROOT, form_token, scenario

HTML = {"accept": "text/html,application/xhtml+xml"}
EXAMPLES = ROOT / "examples"


def visible(page: str) -> str:
    """What a person reads: the text of the main content, without tags, attributes (links, data: files) or the
    inline pictures' code."""
    main = page.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(style|script)\b.*?</\1>", " ", main, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def verdict_page(client, facts_text: str, day: str) -> str:
    answer = client.post("/evaluer", data={"document": facts_text, "date": day, **form_token(client)})
    assert answer.status_code == 200, answer.text[:2000]
    return answer.text


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def test_the_verdict_page_shows_no_internal_code(server):
    with server.client(headers=HTML) as client:
        page = verdict_page(client, example("mise-en-demeure.yaml"), "2026-11-27")
    text = visible(page)
    for code in ("justifier_mesures_correctives", "deposer_nouvelle_demande", "presenter_observations_audit",
                 "frais_gestion_annuels", "EUR_HT", "certifpro", "evenements[", "organisme.territoire",
                 "metropole", "ajouté par", "statut.suspension", "conformite.justification"):
        assert code not in text, code
    assert "Politique Règlement d'habilitation CléA numérique — Certif'Pro, version" in text
    assert "Frais de gestion annuels par site ou établissement ayant une activité CléA numérique" in text
    assert "60,00 € HT" in text


def test_an_event_has_one_number_in_the_explanations_and_the_chronology(server):
    """n° 1 is the first event of the dossier's list: the mise en demeure, 5th of the list, is n° 5 in « Pourquoi
    ce statut » and in the chronology's table (the verdict's JSON still says evenements[4])."""
    with server.client(headers=HTML) as client:
        page = verdict_page(client, example("mise-en-demeure.yaml"), "2026-11-27")
    why = visible(page.split('id="titre-raisons"', 1)[1].split("</section>", 1)[0])
    assert "Mise en demeure notifiée le 19/10/2026 (événement n° 5)" in why
    chronology = page.split('id="chronologie"', 1)[1].split('id="frais"', 1)[0]
    assert '<tr><td>5</td><td class="date">19/10/2026</td><td>Mise en demeure notifiée</td></tr>' in chronology
    assert '<tr><td>1</td><td class="date">03/03/2025</td><td>Décision notifiée</td></tr>' in chronology


def test_events_listed_out_of_date_order_keep_their_place_in_the_list(server):
    """The decision notified on 03/03/2025 moved to the end of the list is n° 5 everywhere, though the chronology
    shows it first (by date)."""
    facts = yaml.safe_load(example("mise-en-demeure.yaml"))
    facts["evenements"] = facts["evenements"][1:] + facts["evenements"][:1]
    with server.client(headers=HTML) as client:
        page = verdict_page(client, yaml.safe_dump(facts, allow_unicode=True), "2026-11-27")
    assert "Décision notifiée le 03/03/2025 (événement n° 5)" in visible(page)
    assert "Mise en demeure notifiée le 19/10/2026 (événement n° 4)" in visible(page)
    chronology = page.split('id="chronologie"', 1)[1].split('id="frais"', 1)[0]
    rows = re.findall(r'<tr><td>(\d+)</td><td class="date">([\d/]+)</td>', chronology)
    assert rows == [("5", "03/03/2025"), ("1", "14/04/2025"), ("2", "14/09/2026"), ("3", "30/09/2026"),
                    ("4", "19/10/2026")]


def test_a_working_day_count_names_the_territory_by_its_title(server):
    with server.client(headers=HTML) as client:
        text = visible(verdict_page(client, example("mise-en-demeure.yaml"), "2026-11-27"))
    assert ("sur le calendrier France métropolitaine (celui de l'organisme, d'après le territoire indiqué dans le "
            "dossier)") in text


def test_the_formal_notice_says_what_happens_without_a_justification(server):
    """V.2: 30 working days from the notice of 19/10/2026 (11/11 a holiday) end on 01/12/2026; without a written
    justification by then, the habilitation is withdrawn from the date the notice fixed (15/01/2027, V.3)."""
    with server.client(headers=HTML) as client:
        before = visible(verdict_page(client, example("mise-en-demeure.yaml"), "2026-12-01"))
        after = visible(verdict_page(client, example("mise-en-demeure.yaml"), "2026-12-02"))
    assert ("Si elle n'est pas accomplie au plus tard le 01/12/2026 : Habilitation retirée à compter du 15/01/2027 "
            "(V.3).") in before
    assert "Non accomplie au plus tard le 01/12/2026 : Habilitation retirée à compter du 15/01/2027 (V.3)." in after


def test_no_avis_is_proposed_without_an_application_under_instruction(server):
    with server.client(headers=HTML) as client:
        suspended = verdict_page(client, example("mise-en-demeure.yaml"), "2026-11-27")
        pending = verdict_page(client, example("instruction-en-cours.yaml"), "2026-11-27")
    text = visible(suspended)
    assert "Avis proposé" not in text and "Le projet d'avis" not in text
    assert "Aucune demande n'est en instruction à cette date : aucun avis n'est proposé." in text
    assert ("Aucun constat à cette date (aucune demande n'est en instruction). L'évaluation reste non conforme du "
            "fait du statut « Habilitation suspendue ».") in text
    assert "Avis proposé :" in visible(pending) and "Le projet d'avis (texte)" in visible(pending)


def test_each_status_is_shown_with_its_own_article_once(server):
    """The suspension is V.3's status wherever the page names it (the rule that made it, V.2, is named as the
    rule's article in the explanation); the conformity does not repeat it."""
    with server.client(headers=HTML) as client:
        text = visible(verdict_page(client, example("mise-en-demeure.yaml"), "2026-11-27"))
    assert "Habilitation suspendue (V.2)" not in text and "Habilité (III.5)" not in text
    assert text.count("Habilitation suspendue (V.3)") == 2       # the status, and its line in the history
    assert "19/10/2026 : Habilitation suspendue (V.3)" in text and "03/03/2025 : Habilité (III.4)" in text
    assert "non conforme : statut « Habilitation suspendue »" in text


def test_a_suspension_is_not_coloured_like_a_habilitation_in_force(server):
    with server.client(headers=HTML) as client:
        suspended = verdict_page(client, example("mise-en-demeure.yaml"), "2026-11-27")
        active = verdict_page(client, example("habilite-renouvele-frais.yaml"), "2026-11-27")
        css = client.get("/statique/clea.css").text
    assert '<span class="etiquette statut-suspendue">Habilitation suspendue</span>' in suspended
    assert '<span class="etiquette statut-active">Habilité</span>' in active
    rules = dict(re.findall(r"\.etiquette\.statut-(\w+) \{ ([^}]*)\}", css))
    assert set(rules) == {"candidature", "active", "suspendue", "terminee", "refusee"}
    assert len(set(rules.values())) == 5
    bands = {name: fill for fill, name in re.findall(r'fill="(#[0-9a-f]{6})" stroke="#ffffff"><title>([^<]+) à '
                                                            r"partir du", suspended)}
    assert bands["Habilitation suspendue"] != bands["Habilité"]


def test_the_journal_shows_statuses_and_policies_by_their_titles(server):
    with server.client(headers=HTML) as client:
        verdict_page(client, example("mise-en-demeure.yaml"), "2026-11-27")
        page = client.get("/decisions?statut=suspendu", headers={"authorization": f"Bearer {JOURNAL_TOKEN}"}).text
    assert '<option value="suspendu" selected>Habilitation suspendue</option>' in page
    rows = html.unescape(page.split("<tbody>", 1)[1].split("</tbody>", 1)[0])
    assert "<td>Habilitation suspendue</td>" in rows and "<td>suspendu</td>" not in rows
    assert "Règlement d'habilitation CléA numérique — Certif'Pro, version" in rows
    assert "certifpro" not in visible(page)


def test_a_parameter_names_its_unit_and_its_policy(server):
    with server.client(headers=HTML) as client:
        fee = visible(client.get("/politiques/certifpro/parametres/frais.instruction").text)
        delay = visible(client.get("/politiques/certifpro/parametres/conformite.delai_justification").text)
        listing = client.get("/politiques/cpne_exemple/parametres").text
    assert "Unité € HT" in fee and "EUR_HT" not in fee
    assert "Unité jours ouvrés" in delay and "jours_ouvres" not in delay
    assert "Tous les paramètres de Règlement d'habilitation CléA numérique — Certif'Pro" in fee
    switch = visible(listing.split('aria-label="Choisir la politique"', 1)[1].split("</nav>", 1)[0])
    assert "Règlement d'habilitation CléA numérique — Certif'Pro" in switch and "CPNE Exemple (FICTIVE)" in switch
    assert "cpne_exemple" not in visible(listing) and "certifpro" not in visible(listing)


def test_a_criterion_names_the_policy_that_set_it_by_its_name(server):
    """An overlay's verdict mixes the base's criteria (II) and its own (I): each says which policy set it, by name
    (not « ajouté par certifpro »)."""
    case = yaml.safe_load((ROOT / "policies" / "cpne-exemple" / "tests" /
                           "x01-criteres-contextualises-non-satisfaits.yaml").read_text(encoding="utf-8"))
    with server.client(headers=HTML) as client:
        text = visible(verdict_page(client, yaml.safe_dump(case["faits"], allow_unicode=True), str(case["date"])))
    assert "fixé par Règlement d'habilitation CléA numérique — Certif'Pro" in text
    assert "fixé par CPNE Exemple (FICTIVE)" in text
    assert "ajouté par" not in text and "cpne:exemple" not in text and "cpne_exemple" not in text


def test_a_dossier_checks_finding_names_what_it_read_by_the_facts_schemas_titles(server):
    """p08: the 3rd establishment's SIRET 55210055400013 does not begin with the SIREN 732829320 (III.1); the
    evaluator E1 of the 1st beneficiary, P1, is also its trainer (IV.1): each by its place in its list."""
    case = scenario("p08")
    with server.client(headers=HTML) as client:
        page = verdict_page(client, yaml.safe_dump(case["faits"], allow_unicode=True), case["date"])
    findings = visible(page.split('id="constats"', 1)[1].split('id="criteres"', 1)[0])
    assert "Constaté par les contrôles du dossier (article III.1) sur : établissement n° 3 (SIRET)." in findings
    assert "Constaté par les contrôles du dossier (article IV.1) sur : bénéficiaire n° 1 (évaluateurs)." in findings
    assert "sur : organisme." not in findings and "sur : beneficiaires[" not in findings
