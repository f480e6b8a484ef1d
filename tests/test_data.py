"""The bundled data: quotes verbatim, SHACL, checksums, and the key facts of the corpus.

Queries go through ``graph.query``/``graph.select`` with the predeclared prefixes, as a
researcher's would.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from kg import paths

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
ID = "https://w3id.org/hk-timeline-kg/id/"


@pytest.fixture(scope="module")
def report(graph):
    """``kg validate`` (SHACL + quotes + checksums) on the bundled graph, as
    :func:`kg.curate.validate.validate` composes it; SHACL runs once a session (shared_results)."""
    from shared_results import shacl_of_bundled_graph, shacl_violations

    from kg.curate.validate import check_quotes

    assert shacl_of_bundled_graph()[0] == len(graph)
    result = check_quotes(graph, SOURCES)
    result.shacl = shacl_violations()
    return result


def one(graph, sparql: str, params=None) -> dict:
    rows = graph.select(sparql, params)
    assert len(rows) == 1, rows
    return rows[0]


def ask(graph, sparql: str, params=None) -> bool:
    return graph.query(sparql, params) is True


# ----------------------------------------------------------------------------- validation


def test_bundled_data_is_the_default(graph):
    assert Path(graph.data_dir) == (ROOT / "data").resolve()
    assert paths.data_dir() == ROOT / "data"


def test_validate_passes(report):
    assert report.quotes == [], report.render()
    assert report.documents == [], report.render()
    assert report.shacl == [], report.render()
    assert report.conforms, report.render()
    assert report.checked_quotes > 300
    assert report.checked_documents == 5
    assert "OK: the graph holds to CONTRACT.md" in report.render()


def test_every_quote_is_verbatim_in_its_source(graph):
    """The same check as ``kg validate``, done here independently of kg.curate.validate."""
    rows = graph.select(
        """SELECT ?exact ?file WHERE {
             ?ann a oa:Annotation ; oa:hasTarget ?t .
             ?t oa:hasSource ?src ; oa:hasSelector ?sel .
             ?sel a oa:TextQuoteSelector ; oa:exact ?exact .
             OPTIONAL { ?src hk:fileName ?file } }"""
    )
    assert len(rows) > 300
    texts = {f.name: f.read_text(encoding="utf-8") for f in SOURCES.glob("*.txt")}
    missing = [r for r in rows if r["file"] is None or r["exact"] not in texts.get(r["file"], "")]
    assert missing == []


def test_every_annotation_has_a_body_and_a_corpus_source(graph):
    bad = graph.select(
        """SELECT ?ann WHERE { ?ann a oa:Annotation .
             FILTER NOT EXISTS { ?ann oa:hasBody ?b ; oa:hasTarget/oa:hasSource/hk:sha256 ?sha } }"""
    )
    assert bad == []


def test_corpus_checksums_match_the_files():
    records = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))
    corpus = [r for r in records if "file" in r]
    assert sorted(r["file"] for r in corpus) == sorted(p.name for p in SOURCES.glob("*.txt"))
    for r in corpus:
        assert hashlib.sha256((SOURCES / r["file"]).read_bytes()).hexdigest() == r["sha256"], r["file"]


def test_graph_carries_the_checksums(graph):
    rows = graph.select("SELECT ?file ?sha WHERE { ?s a hk:CorpusDocument ; hk:fileName ?file ; hk:sha256 ?sha }")
    assert len(rows) == 5
    for r in rows:
        assert r["sha"] == hashlib.sha256((SOURCES / r["file"]).read_bytes()).hexdigest()


def test_shacl_detects_a_violation(mini):
    """The shapes are not vacuous: an event without sem:hasActor violates them."""
    import pyoxigraph as ox

    from kg.backends.memory import KnowledgeGraph
    from kg.curate.validate import check_shacl

    store = ox.Store()
    has_actor = ox.NamedNode("http://semanticweb.cs.vu.nl/2009/11/sem/hasActor")
    nsl = ox.NamedNode(ID + "event/nsl-takes-effect")
    store.extend(q for q in mini.store if not (q.subject == nsl and q.predicate == has_actor))
    assert len(store) == len(mini) - 1
    assert check_shacl(mini) == []
    problems = check_shacl(KnowledgeGraph(store))
    assert problems, "SHACL must report an event without sem:hasActor"
    assert {p["focus"] for p in problems} == {"event/nsl-takes-effect"}


# ----------------------------------------------------------------------------- the open letter


def test_open_letter_has_exactly_86_signatories_all_organisations(graph):
    row = one(
        graph,
        """SELECT (COUNT(DISTINCT ?s) AS ?n) (SUM(IF(EXISTS { ?s a schema:Organization }, 1, 0)) AS ?orgs)
                  (SUM(IF(EXISTS { ?s a schema:Person }, 1, 0)) AS ?people)
           WHERE { ?letter sem:eventType hkt:open-letter ; hk:addressee ?li ; hk:signatory ?s .
                   ?li rdfs:label "Li Zhanshu"@en . }""",
    )
    assert row == {"n": 86, "orgs": 86, "people": 0}


def test_signatories_are_distinct_actors_with_evidence(graph):
    rows = graph.select(
        """SELECT ?s ?label (COUNT(DISTINCT ?ann) AS ?quotes) WHERE {
             <https://w3id.org/hk-timeline-kg/id/event/open-letter-to-li-zhanshu> hk:signatory ?s .
             ?s a sem:Actor ; rdfs:label ?label ; sem:hasActor|^sem:hasActor ?e .
             ?ann oa:hasBody ?s } GROUP BY ?s ?label"""
    )
    assert len(rows) == 86
    assert len({r["label"] for r in rows}) == 86
    assert all(r["quotes"] >= 1 for r in rows)
    labels = {r["label"] for r in rows}
    assert {"Amnesty International", "Human Rights Watch"} <= labels


def test_every_signatory_is_also_a_sem_actor_of_the_letter(graph):
    assert not ask(
        graph,
        "ASK { ?e hk:signatory ?s . FILTER NOT EXISTS { ?e sem:hasActor ?s } }",
    )


# ----------------------------------------------------------------------------- dates


def event_dates(graph, iri: str) -> dict:
    return one(
        graph,
        """SELECT ?edtf ?eb ?lb ?ee ?le ?begin ?end ?start ?endDate WHERE {
             BIND(<IRI> AS ?e)
             ?e hk:edtf ?edtf ; sem:hasEarliestBeginTimeStamp ?eb ; sem:hasLatestBeginTimeStamp ?lb .
             OPTIONAL { ?e sem:hasEarliestEndTimeStamp ?ee } OPTIONAL { ?e sem:hasLatestEndTimeStamp ?le }
             OPTIONAL { ?e sem:hasBeginTimeStamp ?begin } OPTIONAL { ?e sem:hasEndTimeStamp ?end }
             OPTIONAL { ?e schema:startDate ?start } OPTIONAL { ?e schema:endDate ?endDate } }""".replace("IRI", iri),
    )


def test_extradition_bill_suspension_2019_06_15(graph):
    row = one(
        graph,
        """SELECT ?e WHERE { ?e a sem:Event ; rdfs:label ?l ; prov:wasDerivedFrom ?src .
             FILTER(CONTAINS(LCASE(?l), "suspension") && CONTAINS(LCASE(?l), "extradition bill")) }""",
    )
    d = event_dates(graph, row["e"])
    assert d["edtf"] == "2019-06-15"
    assert d["eb"] == d["lb"] == d["ee"] == d["le"] == d["begin"] == d["start"] == "2019-06-15"


def test_npcsc_session_18_to_20_june_2020(graph):
    row = one(
        graph,
        """SELECT ?e WHERE { ?e sem:eventType hkt:legislative-session ; sem:hasActor ?npcsc .
                            ?npcsc skos:altLabel "NPCSC"@en }""",
    )
    d = event_dates(graph, row["e"])
    assert d["edtf"] == "2020-06-18/2020-06-20"
    assert (d["eb"], d["lb"], d["ee"], d["le"]) == ("2020-06-18", "2020-06-18", "2020-06-20", "2020-06-20")
    assert (d["begin"], d["end"], d["start"], d["endDate"]) == ("2020-06-18", "2020-06-20", "2020-06-18", "2020-06-20")


def test_national_security_law_in_force_2020_06_30(graph):
    row = one(
        graph,
        "SELECT ?e WHERE { ?e sem:eventType hkt:entry-into-force ; rdfs:label ?l . "
        'FILTER(CONTAINS(LCASE(?l), "national security law")) }',
    )
    d = event_dates(graph, row["e"])
    assert d["edtf"] == "2020-06-30"
    assert d["eb"] == d["lb"] == d["ee"] == d["le"] == d["begin"] == "2020-06-30"


def test_amnesty_announcement_2021_10_25(graph):
    row = one(
        graph,
        """SELECT ?e WHERE { ?e sem:eventType hkt:announcement ; hk:authority ?a .
                            ?a rdfs:label "Amnesty International"@en }""",
    )
    d = event_dates(graph, row["e"])
    assert d["edtf"] == "2021-10-25"
    assert d["eb"] == d["lb"] == d["ee"] == d["le"] == d["begin"] == "2021-10-25"


def test_amnesty_june_2021_report_at_month_precision(graph):
    row = one(
        graph,
        """SELECT ?e ?precision WHERE { ?e sem:eventType hkt:report ; sem:hasActor ?a ; hk:datePrecision ?precision .
                                         ?a rdfs:label "Amnesty International"@en }""",
    )
    assert row["precision"] == "month"
    d = event_dates(graph, row["e"])
    assert d["edtf"] == "2021-06"
    assert (d["eb"], d["lb"]) == ("2021-06-01", "2021-06-30")
    assert d["begin"] is None and d["start"] is None  # not known to the day


def test_closures_at_the_end_of_the_month_and_of_2021(graph):
    rows = graph.select(
        """SELECT ?office ?lb WHERE { ?e sem:eventType hkt:organisational-closure ; hk:subject ?o ;
               sem:hasLatestBeginTimeStamp ?lb . ?o schema:parentOrganization ?amnesty ; rdfs:label ?office .
               ?amnesty rdfs:label "Amnesty International"@en } ORDER BY ?lb"""
    )
    assert [r["lb"] for r in rows] == ["2021-10-31", "2021-12-31"]
    assert "local" in rows[0]["office"] and "regional" in rows[1]["office"]


def test_time_bounds_are_xsd_dates_and_ordered(graph):
    rows = graph.select(
        """SELECT ?e ?p ?d WHERE { ?e ?p ?d .
             VALUES ?p { sem:hasEarliestBeginTimeStamp sem:hasLatestBeginTimeStamp sem:hasEarliestEndTimeStamp
                         sem:hasLatestEndTimeStamp sem:hasBeginTimeStamp sem:hasEndTimeStamp
                         schema:startDate schema:endDate schema:datePublished } }"""
    )
    assert len(rows) > 100
    bad = graph.select(
        """SELECT ?e ?d WHERE { ?e ?p ?d .
             VALUES ?p { sem:hasEarliestBeginTimeStamp sem:hasLatestBeginTimeStamp sem:hasEarliestEndTimeStamp
                         sem:hasLatestEndTimeStamp sem:hasBeginTimeStamp sem:hasEndTimeStamp
                         schema:startDate schema:endDate schema:datePublished }
             FILTER(DATATYPE(?d) != xsd:date) }"""
    )
    assert bad == []
    disordered = graph.select(
        """SELECT ?e WHERE { ?e a sem:Event ; sem:hasEarliestBeginTimeStamp ?eb ; sem:hasLatestBeginTimeStamp ?lb .
             OPTIONAL { ?e sem:hasEarliestEndTimeStamp ?ee ; sem:hasLatestEndTimeStamp ?le }
             FILTER(?eb > ?lb || COALESCE(?ee > ?le || ?eb > ?ee || ?lb > ?le, false)) }"""
    )
    assert disordered == []


def test_no_gyear_or_gyearmonth_anywhere(graph):
    assert not ask(
        graph,
        "ASK { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o) && DATATYPE(?o) IN (xsd:gYear, xsd:gYearMonth)) }",
    )
    assert b"XMLSchema#gYear" not in graph.export("nq")


def test_every_event_has_the_contract_date_fields(graph):
    bad = graph.select(
        """SELECT ?e WHERE { ?e a sem:Event .
             FILTER NOT EXISTS { ?e sem:hasEarliestBeginTimeStamp ?a ; sem:hasLatestBeginTimeStamp ?b ;
                                    hk:edtf ?edtf . FILTER(DATATYPE(?edtf) = <http://id.loc.gov/datatypes/edtf>) } }"""
    )
    assert bad == []


# ----------------------------------------------------------------------------- actors and posts


def test_li_zhanshu_holds_a_post_in_the_npcsc(graph):
    row = one(
        graph,
        """SELECT ?title ?orgLabel WHERE {
             ?li rdfs:label "Li Zhanshu"@en ; a schema:Person ; hk:holdsPost ?post ; schema:memberOf ?org .
             ?post hk:postIn ?org ; schema:roleName ?title .
             ?org skos:altLabel "NPCSC"@en ; rdfs:label ?orgLabel . }""",
    )
    assert row["title"] == "Chairman"
    assert row["orgLabel"] == "Standing Committee of the National People's Congress"


def test_sophie_richardson_is_china_director_at_hrw(graph):
    rows = graph.select(
        """SELECT ?title ?org WHERE { ?p rdfs:label "Sophie Richardson"@en ; hk:holdsPost ?post ; schema:memberOf ?o .
             ?post hk:postIn ?o ; schema:roleName ?title . ?o rdfs:label ?org }"""
    )
    assert rows == [{"title": "China director", "org": "Human Rights Watch"}]


@pytest.mark.parametrize(
    "person, title", [("Agnes Callamard", "Secretary General"), ("Anjhula Mya Singh Bais", "Chair")]
)
def test_amnesty_leaders(graph, person, title):
    rows = graph.select(
        """SELECT ?title WHERE {
             ?p rdfs:label ?name ; hk:holdsPost ?post ; schema:memberOf ?o .
             ?post hk:postIn ?o ; schema:roleName ?title .
             ?o schema:parentOrganization* ?amnesty . ?amnesty rdfs:label "Amnesty International"@en .
             FILTER(STR(?name) = "PERSON") }""".replace("PERSON", person)
    )
    assert [r["title"] for r in rows] == [title]


@pytest.mark.parametrize(
    "alt, label",
    [
        ("NPCSC", "Standing Committee of the National People's Congress"),
        ("HRW", "Human Rights Watch"),
        ("Amnesty", "Amnesty International"),
        ("NPC", "National People's Congress"),
    ],
)
def test_alt_labels_find_their_actors(graph, alt, label):
    rows = graph.select(f'SELECT ?label WHERE {{ ?a a sem:Actor ; skos:altLabel "{alt}"@en ; rdfs:label ?label }}')
    assert [r["label"] for r in rows] == [label]


def test_every_actor_is_person_xor_organisation_with_a_naming_quote(graph):
    bad = graph.select(
        """SELECT ?a WHERE { ?a a sem:Actor .
             FILTER(EXISTS { ?a a schema:Person } = EXISTS { ?a a schema:Organization }
                    || NOT EXISTS { ?ann oa:hasBody ?a } || NOT EXISTS { ?a rdfs:label ?l ; schema:name ?l }) }"""
    )
    assert bad == []
    assert one(graph, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a sem:Actor }")["n"] > 90


def test_sanction_call_names_chen_quanguo_and_carrie_lam(graph):
    rows = graph.select(
        """SELECT ?label WHERE { ?e sem:eventType hkt:sanction-call ; hk:target ?t ; rdfs:label ?el .
             ?t rdfs:label ?label . FILTER(CONTAINS(?el, "Magnitsky")) } ORDER BY ?label"""
    )
    labels = [r["label"] for r in rows]
    assert "Chen Quanguo" in labels
    assert any(label.startswith("Carrie Lam") for label in labels)


def test_entity_list_names_the_three_companies(graph):
    rows = graph.select(
        """SELECT ?label WHERE { ?e sem:eventType hkt:sanction-call ; sem:hasActor ?t ; rdfs:label ?el .
             ?t a schema:Corporation ; rdfs:label ?label . FILTER(CONTAINS(LCASE(?el), "entity list")) }"""
    )
    assert sorted(r["label"] for r in rows) == ["Dahua", "Hikvision", "Huawei"]


# ----------------------------------------------------------------------------- claims


@pytest.mark.parametrize(
    "value, qualifier, phrase",
    [(35, "at least", "at least 35"), (10000, "at least", "at least 10,000"), (13000000, None, "13 million")],
)
def test_figures_are_claims_with_claimants(graph, value, qualifier, phrase):
    rows = graph.select(
        """SELECT ?claim ?qualifier ?claimant ?quote WHERE {
             ?claim a hk:Claim, schema:Claim ; hk:figureValue ?v ; schema:text ?text ;
                    schema:author ?c ; prov:wasAttributedTo ?c .
             ?c a sem:Actor ; rdfs:label ?claimant .
             OPTIONAL { ?claim hk:figureQualifier ?qualifier }
             ?ann oa:hasBody ?claim ; oa:hasTarget/oa:hasSelector/oa:exact ?quote .
             FILTER(?v = VALUE && CONTAINS(?quote, "PHRASE")) }""".replace("VALUE", str(value)).replace(
            "PHRASE", phrase
        )
    )
    assert rows, f"no claim of {value} quoting {phrase!r}"
    assert all(r["claimant"] for r in rows)
    if qualifier:
        assert {r["qualifier"] for r in rows} == {qualifier}


def test_at_least_35_is_claimed_by_amnesty(graph):
    rows = graph.select(
        """SELECT DISTINCT ?who WHERE { ?claim hk:figureValue 35 ; hk:figureQualifier "at least" ;
             schema:author/rdfs:label ?who }"""
    )
    assert rows == [{"who": "Amnesty International"}]


def test_every_claim_has_a_claimant_and_a_quote(graph):
    bad = graph.select(
        """SELECT ?c WHERE { ?c a hk:Claim .
             FILTER NOT EXISTS { ?c schema:author ?a . ?a a sem:Actor . ?ann oa:hasBody ?c } }"""
    )
    assert bad == []


# ----------------------------------------------------------------------------- events and relations


def test_amnesty_closures_are_caused_by_the_law(graph):
    rows = graph.select(
        """SELECT ?closure ?law ?quote WHERE {
             ?closure sem:eventType hkt:organisational-closure ; hk:subject ?office ; hk:causedBy ?law .
             ?office schema:parentOrganization/rdfs:label "Amnesty International"@en .
             ?law sem:eventType ?t ; rdfs:label ?ll .
             FILTER(?t IN (hkt:legislation, hkt:entry-into-force) && CONTAINS(LCASE(?ll), "national security law"))
             ?rel rdf:subject ?closure ; rdf:predicate hk:causedBy ; rdf:object ?law .
             ?ann oa:hasBody ?rel ; oa:hasTarget/oa:hasSelector/oa:exact ?quote }"""
    )
    assert {r["closure"] for r in rows} == {
        ID + "event/amnesty-local-office-closure",
        ID + "event/amnesty-regional-office-closure",
    }


@pytest.mark.parametrize("kind", ["open-letter", "petition"])
def test_letter_and_petition_respond_to_the_proposed_law(graph, kind):
    rows = graph.select(
        """SELECT ?e WHERE { ?e sem:eventType hkt:KIND ; hk:respondsTo ?p . ?p sem:eventType hkt:legislative-proposal ;
             rdfs:label ?pl . FILTER(CONTAINS(LCASE(?pl), "national security law")) }""".replace("KIND", kind)
    )
    assert rows


def test_every_event_has_an_actor_and_a_source(graph):
    n = one(graph, "SELECT (COUNT(?e) AS ?n) WHERE { ?e a sem:Event, schema:Event }")["n"]
    assert n >= 30
    bad = graph.select(
        """SELECT ?e WHERE { ?e a sem:Event .
             FILTER(NOT EXISTS { ?e sem:hasActor ?a . ?a a sem:Actor }
                    || NOT EXISTS { ?e prov:wasDerivedFrom ?s . ?s a hk:CorpusDocument }
                    || NOT EXISTS { ?e sem:eventType/skos:prefLabel ?t }
                    || NOT EXISTS { ?ann oa:hasBody ?e }) }"""
    )
    assert bad == []


def test_every_event_has_one_english_label_repeated_as_name(graph):
    bad = graph.select(
        """SELECT ?e (COUNT(DISTINCT ?l) AS ?n) WHERE { ?e a sem:Event ; rdfs:label ?l .
             FILTER(LANG(?l) = "en") FILTER EXISTS { ?e schema:name ?l } } GROUP BY ?e HAVING (?n != 1)"""
    )
    assert bad == []
    unlabelled = graph.select(
        "SELECT ?e WHERE { ?e a sem:Event FILTER NOT EXISTS { ?e rdfs:label ?l ; schema:name ?l } }"
    )
    assert unlabelled == []


def test_role_properties_are_subproperties_of_has_actor(graph):
    bad = graph.select(
        """SELECT ?e ?p ?a WHERE { ?e a sem:Event ; ?p ?a . ?p rdfs:subPropertyOf+ sem:hasActor .
             FILTER NOT EXISTS { ?e sem:hasActor ?a } }"""
    )
    assert bad == []
    roles = {r["p"] for r in graph.select("SELECT DISTINCT ?p WHERE { ?p rdfs:subPropertyOf+ sem:hasActor }")}
    for role in ("signatory", "addressee", "speaker", "authority", "subject", "target"):
        assert f"https://w3id.org/hk-timeline-kg/ns/{role}" in roles


# ----------------------------------------------------------------------------- sources


def test_outside_references_are_marked_and_excludable(graph):
    outside = graph.select("SELECT ?s ?url WHERE { ?s a hk:OutsideReference ; dcterms:title ?t ; schema:url ?url }")
    assert len(outside) >= 1
    kept = graph.select(
        """SELECT ?s WHERE { ?s a prov:Entity, schema:CreativeWork .
             FILTER NOT EXISTS { ?s a hk:OutsideReference } }"""
    )
    corpus = graph.select("SELECT ?s WHERE { ?s a hk:CorpusDocument ; hk:sha256 ?sha }")
    assert {r["s"] for r in kept} == {r["s"] for r in corpus}
    assert len(corpus) == 5
    assert not {r["s"] for r in kept} & {r["s"] for r in outside}
    # no source is both, and no quote cites an outside reference
    assert not ask(graph, "ASK { ?s a hk:OutsideReference, hk:CorpusDocument }")
    assert not ask(graph, "ASK { ?t oa:hasSource ?s . ?s a hk:OutsideReference }")


def test_dates_resolved_with_outside_references_can_be_excluded(graph):
    everything = graph.select("SELECT ?e WHERE { ?e a sem:Event }")
    corpus_only = graph.select(
        """SELECT ?e WHERE { ?e a sem:Event .
             FILTER NOT EXISTS { ?e hk:dateSource ?ref . ?ref a hk:OutsideReference } }"""
    )
    assert 0 < len(corpus_only) < len(everything)
    suspension = one(
        graph,
        """SELECT ?e WHERE { ?e hk:edtf ?d ; rdfs:label ?l ; hk:dateSource ?ref . ?ref a hk:OutsideReference .
             FILTER(STR(?d) = "2019-06-15") }""",
    )
    assert suspension["e"] not in {r["e"] for r in corpus_only}


def test_sources_have_titles_and_classes(graph):
    bad = graph.select(
        """SELECT ?s WHERE { ?s a prov:Entity ; a schema:CreativeWork .
             FILTER NOT EXISTS { ?s dcterms:title ?t } }"""
    )
    assert bad == []
