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

    from kg.backends.memory import MemoryBackend
    from kg.curate.validate import check_shacl

    store = ox.Store()
    has_actor = ox.NamedNode("http://semanticweb.cs.vu.nl/2009/11/sem/hasActor")
    nsl = ox.NamedNode(ID + "event/nsl-takes-effect")
    store.extend(q for q in mini.store if not (q.subject == nsl and q.predicate == has_actor))
    assert len(store) == len(mini) - 1
    assert check_shacl(mini) == []
    problems = check_shacl(MemoryBackend(store))
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
        """SELECT ?e WHERE { ?e sem:eventType hkt:legislative-session ; sem:hasActor ?npcsc ;
                                 sem:hasEarliestBeginTimeStamp "2020-06-18"^^xsd:date .
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
             FILTER NOT EXISTS { ?c schema:author ?a . ?ann oa:hasBody ?c
                                 FILTER(EXISTS { ?a a sem:Actor } || EXISTS { ?a a hk:UnidentifiedAuthor }) } }"""
    )
    assert bad == []


# ----------------------------------------------------------------------------- events and relations


def test_amnesty_closures_are_motivated_by_the_law_according_to_amnesty(graph):
    """Amnesty's reason is its stated reason (hk:motivatedBy, per Amnesty), not a cause the graph asserts."""
    rows = graph.select(
        """SELECT ?closure ?law ?quote WHERE {
             ?closure sem:eventType hkt:organisational-closure ; hk:subject ?office ; hk:motivatedBy ?law .
             ?office schema:parentOrganization/rdfs:label "Amnesty International"@en .
             ?law sem:eventType ?t ; rdfs:label ?ll .
             FILTER(?t IN (hkt:legislation, hkt:entry-into-force) && CONTAINS(LCASE(?ll), "national security law"))
             ?rel rdf:subject ?closure ; rdf:predicate hk:motivatedBy ; rdf:object ?law ;
                  hk:accordingTo/rdfs:label "Amnesty International"@en .
             ?ann oa:hasBody ?rel ; oa:hasTarget/oa:hasSelector/oa:exact ?quote }"""
    )
    assert {r["closure"] for r in rows} == {
        ID + "event/amnesty-local-office-closure",
        ID + "event/amnesty-regional-office-closure",
    }
    assert all("driven by Hong Kong’s national security law, which has made it" in r["quote"] for r in rows)
    # no closure and no step of the extradition bill is asserted to be caused by anything
    assert not ask(
        graph,
        """ASK { ?e hk:causedBy ?c . VALUES ?t { hkt:organisational-closure hkt:legislative-suspension
                 hkt:legislative-withdrawal hkt:announcement } ?e sem:eventType ?t }""",
    )


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
        """SELECT DISTINCT ?e WHERE { ?e hk:edtf ?d ; rdfs:label ?l ; hk:dateSource ?ref . ?ref a hk:OutsideReference .
             FILTER(STR(?d) = "2019-06-15") }""",
    )
    assert suspension["e"] not in {r["e"] for r in corpus_only}


def test_sources_have_titles_and_classes(graph):
    bad = graph.select(
        """SELECT ?s WHERE { ?s a prov:Entity ; a schema:CreativeWork .
             FILTER NOT EXISTS { ?s dcterms:title ?t } }"""
    )
    assert bad == []


# ----------------------------------------------------------------------------- issue 9: the corrected facts


def _edtf(graph, rid: str) -> str:
    return one(graph, f"SELECT ?d WHERE {{ <{ID}event/{rid}> hk:edtf ?d }}")["d"]


def _outside_refs(graph, node: str) -> set[str]:
    rows = graph.select(
        f"""SELECT ?url WHERE {{ <{node}> hk:dateSource ?ref . ?ref a hk:OutsideReference ;
               dcterms:title ?t ; hk:publisherName ?p ; schema:url ?url }}"""
    )
    return {r["url"] for r in rows}


def test_open_letter_dated_16_june_and_release_17_june_2020(graph):
    assert _edtf(graph, "open-letter-to-li-zhanshu") == "2020-06-16"
    assert _edtf(graph, "hrw-release-on-open-letter") == "2020-06-17"
    assert _edtf(graph, "sophie-richardson-statement-2020") == "2020-06-17"
    source = one(graph, f"SELECT ?d WHERE {{ <{ID}source/hrw-2020-open-letter-release> hk:edtf ?d }}")
    assert source["d"] == "2020-06-17"
    letter_refs = _outside_refs(graph, ID + "event/open-letter-to-li-zhanshu")
    assert "https://www.ibanet.org/article/59ED4313-3F18-43D2-AD4F-E0F2795F1105" in letter_refs
    release_refs = _outside_refs(graph, ID + "event/hrw-release-on-open-letter")
    assert "https://www.tolerance.ca/ArticleExt.aspx?ID=473571&L=fr" in release_refs
    note = one(graph, f"SELECT ?n WHERE {{ <{ID}event/open-letter-to-li-zhanshu> hk:dateNote ?n }}")["n"]
    assert "June 16, 2020" in note and "dated as the release" not in note


def test_suspension_is_not_a_withdrawal(graph):
    rows = graph.select(
        """SELECT ?e ?t ?d WHERE { ?e hk:concernsLaw ?bill ; sem:eventType ?t ; hk:edtf ?d .
             ?bill rdfs:label "Hong Kong extradition bill (2019)"@en .
             VALUES ?t { hkt:legislative-suspension hkt:legislative-withdrawal hkt:announcement } }"""
    )
    by_type = {(r["t"].rsplit("/", 1)[-1], r["d"]) for r in rows}
    assert by_type == {
        ("legislative-suspension", "2019-06-15"),
        ("announcement", "2019-09-04"),
        ("legislative-withdrawal", "2019-10-23"),
    }
    assert ask(graph, "ASK { hkt:legislative-suspension skos:broader hkt:legal-act ; skos:prefLabel ?l }")
    for rid in ("extradition-bill-withdrawal-announced", "extradition-bill-withdrawal"):
        assert _outside_refs(graph, f"{ID}event/{rid}"), rid


def test_entity_list_is_not_called_an_eu_list(graph):
    assert not ask(graph, 'ASK { ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(LCASE(STR(?o)), "eu entity list")) }')


def test_mediapart_post_dated_by_both_readings(graph):
    src = one(
        graph,
        f"""SELECT ?d ?note ?url WHERE {{ <{ID}source/mediapart-club-2019-extradition-bill-post>
              hk:edtf ?d ; hk:dateNote ?note ; schema:url ?url }}""",
    )
    assert src["d"] == "[2019-06-16..2019-06-23]"
    assert "120619" in src["url"] and "12 June 2019" in src["note"]
    assert _edtf(graph, "mediapart-club-campaign-against-extradition-bill") == "[2019-06-12..2019-06-23]"
    for rid in ("call-to-scrap-extradition-bill", "template-letter-to-meps-and-g20-leaders"):
        assert _edtf(graph, rid) == "[2019-06-16..2019-06-23]"
    assert not ask(graph, 'ASK { ?s hk:edtf ?d FILTER(CONTAINS(STR(?d), "2019-06-30")) }')


def test_protests_begin_before_what_they_explain(graph):
    protests = event_dates(graph, ID + "event/hong-kong-protests-2019")
    assert protests["lb"] < "2019-06-15"
    later = event_dates(graph, ID + "event/protests-against-national-security-law-2020")
    assert later["lb"] <= "2020-06-30"


def test_every_event_relation_respects_time(graph):
    """What explains an event (cause, motive, what it answers or follows) cannot begin after it."""
    bad = graph.select(
        """SELECT ?a ?p ?b WHERE { VALUES ?p { hk:causedBy hk:motivatedBy hk:respondsTo hk:follows }
             ?a ?p ?b . ?a sem:hasEarliestBeginTimeStamp ?ea . ?b sem:hasLatestBeginTimeStamp ?lb .
             FILTER(?lb > ?ea) }"""
    )
    assert bad == []


def test_other_groups_stop_operations_dates(graph):
    d = event_dates(graph, ID + "event/other-groups-stop-operations")
    assert d["begin"] is None and d["start"] is None  # no day-precise start
    assert d["le"] <= "2021-10-25"  # not after the statement that reports it
    # second reading: no end known to the day (25 October is only the latest), and no begin
    # before the law took effect ("since China's national security law took effect")
    assert d["end"] is None and d["endDate"] is None
    assert d["eb"] == "2020-06-30"
    assert ask(
        graph,
        f"ASK {{ <{ID}event/other-groups-stop-operations> hk:follows <{ID}event/national-security-law-takes-effect> }}",
    )


def test_amnesty_closures_are_announced_plans(graph):
    rows = graph.select(
        """SELECT ?e ?d WHERE { ?e hk:planned true ; hk:edtf ?d ; sem:eventType ?t .
             VALUES ?t { hkt:organisational-closure hkt:relocation } }"""
    )
    got = {r["e"].rsplit("/", 1)[-1]: r["d"] for r in rows}
    assert got == {
        "amnesty-local-office-closure": "2021-10-31",
        "amnesty-regional-office-closure": "[2021-10-26..2021-12-31]",
        "amnesty-moves-operations-to-other-asian-offices": "[2021-10-26..2021-12-31]",
    }


def test_npc_proposal_decision_and_sessions_are_apart(graph):
    assert _edtf(graph, "npc-move-to-impose-national-security-law") == "2020-05-21"
    assert _edtf(graph, "npc-decision-on-national-security-legislation") == "2020-05-28"
    assert _edtf(graph, "npcsc-special-session-june-2020") == "2020-06-28/2020-06-30"
    assert ask(
        graph,
        f"""ASK {{ <{ID}event/national-security-law-passed> sem:subEventOf <{ID}event/npcsc-special-session-june-2020> ;
                 hk:edtf ?d FILTER(STR(?d) = "2020-06-30") }}""",
    )
    quote = one(
        graph,
        f"""SELECT ?q WHERE {{ ?ann oa:hasBody <{ID}event/npcsc-special-session-june-2020> ;
                               oa:hasTarget/oa:hasSelector/oa:exact ?q }}""",
    )["q"]
    assert quote == "or at a special session by the end of June"


def test_posts_are_dated_by_what_the_texts_attest(graph):
    rows = graph.select(
        """SELECT ?who ?title ?attested WHERE { ?p rdfs:label ?who ; hk:holdsPost ?post .
             ?post schema:roleName ?title ; hk:attestedEdtf ?attested }"""
    )
    got = {(r["who"], r["title"]): r["attested"] for r in rows}
    assert got[("Carrie Lam Cheng Yuet-ngor", "Chief Executive of Hong Kong")] == "[2019-06-16..2019-06-23]"
    assert got[("Li Zhanshu", "Chairman")] == "2020-06-17"
    assert got[("Anjhula Mya Singh Bais", "Chair")] == "2021-10-25"
    assert got[("Agnes Callamard", "Secretary General")] == "2021-10-25"
    # the caption's "National People's Congress Chairman" is the caption's wording, not a post
    assert not ask(
        graph,
        """ASK { ?li rdfs:label "Li Zhanshu"@en ; hk:holdsPost ?post . ?ann oa:hasBody ?post ;
                 oa:hasTarget/oa:hasSelector/oa:exact ?q
                 FILTER(CONTAINS(?q, "National People's Congress Chairman")) }""",
    )
    assert not ask(graph, 'ASK { ?li rdfs:label "Li Zhanshu"@en ; schema:memberOf ?npc . ?npc skos:altLabel "NPC"@en }')


def test_mainland_china_is_not_the_china_that_contains_hong_kong(graph):
    china, mainland = f"<{ID}place/china>", f"<{ID}place/mainland-china>"
    assert not ask(graph, f'ASK {{ {china} skos:altLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), "mainland")) }}')
    assert ask(graph, f"ASK {{ {mainland} schema:containedInPlace {china} }}")


def test_roles_and_classes_fixed(graph):
    for rid in ("g20", "european-union"):
        assert not ask(graph, f"ASK {{ <{ID}actor/{rid}> a schema:GovernmentOrganization }}"), rid
    assert not ask(
        graph,
        f"""ASK {{ <{ID}actor/amnesty-closure-analysis-author> a ?c
                  VALUES ?c {{ sem:Actor schema:Organization schema:Person }} }}""",
    )
    assert ask(graph, f"ASK {{ <{ID}actor/amnesty-closure-analysis-author> a hk:UnidentifiedAuthor }}")
    # governments act as authorities of bills and legal acts, not as their organisers
    assert not ask(
        graph,
        """ASK { ?e hk:organiser ?g ; sem:eventType/skos:broader* hkt:legal-act .
                 ?g a schema:GovernmentOrganization .
                 FILTER NOT EXISTS { ?e sem:eventType hkt:legislative-session } }""",
    )


def test_no_event_relation_is_a_role_statement(graph):
    """hk:EventRelation links two events; roles have their own class (hk:RoleStatement, a sem:Role)."""
    assert not ask(
        graph,
        """ASK { ?r a hk:EventRelation ; rdf:subject ?s ; rdf:object ?o .
                 FILTER(NOT EXISTS { ?s a sem:Event } || NOT EXISTS { ?o a sem:Event }) }""",
    )
    roles = graph.select(
        """SELECT ?r WHERE { ?r a hk:RoleStatement, sem:Role ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?a ;
             sem:roleType ?p . ?e a sem:Event . ?a a sem:Actor . ?p rdfs:subPropertyOf hk:role }"""
    )
    assert len(roles) > 100
    assert not ask(graph, "ASK { ?r a hk:RoleStatement, hk:EventRelation }")


def test_motivations_say_who_states_them(graph):
    bad = graph.select(
        "SELECT ?r WHERE { ?r rdf:predicate hk:motivatedBy FILTER NOT EXISTS { ?r hk:accordingTo ?who } }"
    )
    assert bad == []
    assert ask(graph, "ASK { hk:motivatedBy skos:definition ?d } ") and ask(
        graph, "ASK { hk:accordingTo skos:definition ?d }"
    )


def test_laws_are_legislation_and_events_point_at_them(graph):
    rows = graph.select(
        """SELECT ?law (COUNT(DISTINCT ?e) AS ?n) WHERE { ?law a schema:Legislation, hk:Law ; rdfs:label ?l .
             OPTIONAL { ?e hk:concernsLaw ?law } } GROUP BY ?law"""
    )
    got = {r["law"].rsplit("/", 1)[-1]: r["n"] for r in rows}
    assert set(got) == {"extradition-bill", "national-security-law", "basic-law"}
    assert got["extradition-bill"] >= 4 and got["national-security-law"] >= 5
    for rid in (
        "extradition-bill-introduced",
        "extradition-bill-suspension",
        "national-security-law-passed",
        "national-security-law-takes-effect",
    ):
        assert ask(graph, f"ASK {{ <{ID}event/{rid}> hk:concernsLaw ?law }}"), rid


def test_enforcement_is_reported_by_whom(graph):
    rows = graph.select(
        """SELECT ?e ?who WHERE { ?e sem:eventType hkt:law-enforcement ; hk:accordingTo/rdfs:label ?who }"""
    )
    assert len({r["e"] for r in rows}) == 2
    assert any(r["who"] == "Anjhula Mya Singh Bais" for r in rows)


@pytest.mark.parametrize(
    "claim, claimant",
    [
        ("nsl-stated-aims", "Government of the People's Republic of China"),
        ("protesters-are-disruptors-threatening-peace-and-order", "Security officials (unnamed in the source)"),
        ("nsl-could-quickly-be-used-to-crack-down", "Human Rights Watch"),
        ("hong-kong-losing-judicial-independence", None),
        ("campaign-call-stands-until-legal-changes-meet-standards", None),
        ("nsl-arrest-numbers-hard-to-estimate", None),
    ],
)
def test_the_added_claims_are_attributed(graph, claim, claimant):
    rows = graph.select(f"SELECT ?who WHERE {{ <{ID}claim/{claim}> schema:author/rdfs:label ?who }}")
    assert rows
    if claimant:
        assert [r["who"] for r in rows] == [claimant]


def test_the_13_million_figure_is_about_the_turkic_muslims(graph):
    rows = graph.select(
        f"SELECT ?a WHERE {{ <{ID}claim/xinjiang-13-million-turkic-muslims> schema:about ?a . ?a a sem:Actor }}"
    )
    assert {r["a"].rsplit("/", 1)[-1] for r in rows} >= {"turkic-muslims-in-xinjiang", "uyghurs", "kazakhs"}


def test_other_names_cite_outside_references(graph):
    rows = graph.select(
        """SELECT ?who ?name WHERE { ?a rdfs:label ?who ; skosxl:altLabel ?l . ?l skosxl:literalForm ?name ;
             dcterms:source ?ref . ?ref a hk:OutsideReference ; schema:url ?url .
             FILTER(LANGMATCHES(LANG(?name), "zh")) }""".replace(
            "SELECT", "PREFIX skosxl: <http://www.w3.org/2008/05/skos-xl#> SELECT", 1
        )
    )
    names = {(r["who"], r["name"]) for r in rows}
    assert ("Li Zhanshu", "栗战书") in names and ("Carrie Lam Cheng Yuet-ngor", "林鄭月娥") in names
    # every Chinese name is a SKOS-XL label with its outside reference
    assert not ask(
        graph,
        """PREFIX skosxl: <http://www.w3.org/2008/05/skos-xl#>
           ASK { ?a skos:altLabel ?n FILTER(LANGMATCHES(LANG(?n), "zh"))
                 FILTER NOT EXISTS { ?a skosxl:altLabel/skosxl:literalForm ?n } }""",
    )


def test_actors_are_named_by_their_quotes(graph):
    for rid, name in (("legislative-council", "parliament"), ("hong-kong-police", "police")):
        assert ask(
            graph, f'ASK {{ <{ID}actor/{rid}> skos:altLabel ?l FILTER(STR(?l) = "{name}" || STR(?l) = "the {name}") }}'
        )


def test_campaign_page_publisher_rests_on_outside_references(graph):
    row = one(
        graph,
        f"""SELECT ?name (COUNT(?ref) AS ?n) WHERE {{ <{ID}source/campaign-2020-stop-national-security-law>
              hk:publisherName ?name ; hk:publisherSource ?ref . ?ref a hk:OutsideReference }} GROUP BY ?name""",
    )
    assert row == {"name": "Amnesty International UK", "n": 2}


def test_project_voice_is_neutral(graph):
    """The ontology's own descriptions and the event labels do not use the sources' judgements."""
    bad = graph.select(
        """SELECT ?s ?o WHERE { ?s ?p ?o . VALUES ?p { dcterms:description skos:definition rdfs:label }
             FILTER NOT EXISTS { ?s a hk:Claim } FILTER NOT EXISTS { ?s a prov:Entity }
             FILTER(REGEX(STR(?o), "crackdown|\\bimpos", "i")) }"""
    )
    assert bad == []


# ------------------------------------------------------- second reading of issue 9 (review9)


def test_the_eu_is_not_addressed_by_the_entity_list_call(graph):
    """The letter speaks of the EU in the third person; the "you" asked to expand the "Entity
    list" are the letter's addressees."""
    rows = graph.select(f"SELECT ?a WHERE {{ <{ID}event/call-to-expand-entity-list> hk:addressee ?a }}")
    got = {r["a"].rsplit("/", 1)[-1] for r in rows}
    assert "european-union" not in got
    assert "heads-of-government-of-readers-countries" in got


def test_only_the_prediction_is_the_analysts(graph):
    """ "Other similar organizations have already done the same" is the analysis piece's own
    statement; only "more will eventually follow suit" is the analysts'."""
    who = {
        c: {r["who"] for r in graph.select(f"SELECT ?who WHERE {{ <{ID}claim/{c}> schema:author/rdfs:label ?who }}")}
        for c in ("more-organisations-will-follow", "other-organisations-have-done-the-same")
    }
    assert who["more-organisations-will-follow"] == {"Analysts (unnamed in the source)"}
    assert len(who["other-organisations-have-done-the-same"]) == 1
    assert "Analysts (unnamed in the source)" not in who["other-organisations-have-done-the-same"]
    quotes = graph.select(
        f"""SELECT ?q WHERE {{ ?ann oa:hasBody <{ID}claim/more-organisations-will-follow> ;
                               oa:hasTarget/oa:hasSelector/oa:exact ?q }}"""
    )
    assert quotes and not any("already done the same" in r["q"] for r in quotes)
