"""Entity quality measures on annotated news (pure: records in, figures out).

Two gold formats:

- MEANTIME as converted in ``tests/fixtures/meantime`` and ``../shared/corpora/meantime-dev``
  (``gold/<corpus>.json``: instances with mentions at character offsets). The measures are the
  ones of the shared scorer ``grade_meantime.py`` (the same definitions, re-implemented here so
  the project's benchmark and CI floors need nothing outside the repo): instance recall, NER
  recall over proper-name (NAM) mentions, NER precision in the annotated window, canonical
  B-cubed F1 with split/merged counts, cross-document consistency.
- Articles written for this project (``tests/fixtures/entities/written``): per gold entity its
  surface forms; measured: canonical merge rate (entities written in two or more forms whose
  found forms all land in one output entity), wrong merges (output entities holding two gold
  entities), type accuracy, cross-article consistency (a gold entity found in several articles has
  one output name in all) and cross-article wrong merges (one output name taken by two gold
  entities in two different articles).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

PREC_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}
)
_STOP = frozenset({"the", "of", "and", "a", "an", "inc", "co", "corp", "company", "group", "s"})

Span = tuple[str, int, int, int]  # field, start, end, entity index


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower().replace("_", " ")) if w not in _STOP}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _value(record: Mapping[str, Any]) -> dict[str, Any]:
    value = record.get("value")
    return value if isinstance(value, dict) else {}


def _output_spans(value: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[Span]]:
    entities = [e for e in (value.get("entities") or []) if isinstance(e, dict)]
    spans = [
        (s["field"], int(s["start"]), int(s["end"]), index)
        for index, entity in enumerate(entities)
        for s in entity.get("spans") or []
        if s.get("field") in ("title", "body")
    ]
    return entities, spans


# --- MEANTIME -------------------------------------------------------------------------------


def grade_meantime_doc(corpus: str, gold: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """One document's mentions, assessed against the output record (texts must be unchanged:
    the MEANTIME inputs are plain JSON items, whose title and body the pipeline keeps as they are)."""
    value = _value(record)
    fields = {"title": value.get("title") or "", "body": value.get("body") or ""}
    entities, spans = _output_spans(value)
    window_end = gold["window"]["body_end"] or len(fields["body"])
    inst_meta: dict[str, dict[str, Any]] = {}
    mentions: list[dict[str, Any]] = []
    for inst in gold["instances"]:
        inst_meta[inst["id"]] = {
            "name": inst["name"],
            "type": inst["type"],
            "instance_id": inst["instance_id"],
            "instance_name": inst["instance_name"],
        }
        mentions.extend({**m, "inst": inst["id"]} for m in inst["mentions"])
    mentions.extend({**m, "inst": None} for m in gold["unlinked_mentions"])
    inst_words = {
        inst["id"]: _words(
            " ".join([inst["name"], inst["instance_name"] or "", (inst["dbpedia"] or "").rsplit("/", 1)[-1]])
        )
        for inst in gold["instances"]
    }

    def candidates(m: dict[str, Any]) -> list[Span]:
        nested = [
            n
            for n in mentions
            if n is not m
            and n["field"] == m["field"]
            and m["start"] <= n["start"]
            and n["end"] <= m["end"]
            and (n["start"], n["end"]) != (m["start"], m["end"])
            and n["inst"] != m["inst"]
        ]
        return [
            sp
            for sp in spans
            if sp[0] == m["field"]
            and _overlap((m["start"], m["end"]), (sp[1], sp[2]))
            and not any(_overlap((sp[1], sp[2]), (n["start"], n["end"])) for n in nested)
        ]

    def assess(m: dict[str, Any]) -> dict[str, Any]:
        loc = (m["start"], m["end"])
        found = any(sp[0] == m["field"] and _overlap(loc, (sp[1], sp[2])) for sp in spans)
        cands = candidates(m) if found else []
        ent = None
        if cands:
            iw = inst_words.get(m["inst"], set())
            best = max(
                cands,
                key=lambda sp: (
                    len(iw & _words(fields[sp[0]][sp[1] : sp[2]])),
                    _overlap(loc, (sp[1], sp[2])),
                    sp[1],
                ),
            )
            ent = best[3]
        return {"inst": m["inst"], "text": m["text"], "found": found, "ent": ent}

    located = [(m["field"], m["start"], m["end"]) for m in mentions]
    prec = [
        any(g[0] == f and _overlap((s, e), (g[1], g[2])) for g in located)
        for f, s, e, k in spans
        if entities[k].get("type") in PREC_TYPES and (f == "title" or s < window_end)
    ]
    return {
        "corpus": corpus,
        "doc": gold["doc_id"],
        "entities": [(e.get("name") or "", e.get("type") or "") for e in entities],
        "inst_meta": inst_meta,
        "nam": [assess(m) for m in mentions if m["syntactic_type"] == "NAM"],
        "prec": prec,
    }


def b_cubed(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """B-cubed over found NAM mentions of gold instances; split and merged instances listed."""
    p_sum = r_sum = 0.0
    n = 0
    splits: list[str] = []
    merges: list[str] = []
    for res in results:
        items = [it for it in res["nam"] if it["found"] and it["ent"] is not None and it["inst"] is not None]
        by_sys: dict[int, list[int]] = defaultdict(list)
        by_gold: dict[str, list[int]] = defaultdict(list)
        for i, it in enumerate(items):
            by_sys[it["ent"]].append(i)
            by_gold[it["inst"]].append(i)
        for it in items:
            sys_c, gold_c = set(by_sys[it["ent"]]), set(by_gold[it["inst"]])
            both = len(sys_c & gold_c)
            p_sum += both / len(sys_c)
            r_sum += both / len(gold_c)
            n += 1
        doc = f"{res['corpus']}/{res['doc']}"
        for inst, idx in by_gold.items():
            ents = sorted({items[i]["ent"] for i in idx})
            if len(ents) > 1:
                names = " | ".join(repr(res["entities"][e][0]) for e in ents)
                splits.append(f"{doc}: {res['inst_meta'][inst]['name']} -> {names}")
        for ent, idx in by_sys.items():
            insts = sorted({items[i]["inst"] for i in idx})
            if len(insts) > 1:
                names = " + ".join(res["inst_meta"][i]["name"] for i in insts)
                merges.append(f"{doc}: {res['entities'][ent][0]!r} <- {names}")
    p, r = _ratio(p_sum, n), _ratio(r_sum, n)
    return {"n": n, "P": p, "R": r, "F1": _f1(p, r), "splits": splits, "merges": merges}


def _canon_name(res: Mapping[str, Any], inst: str) -> str | None:
    ents = Counter(it["ent"] for it in res["nam"] if it["inst"] == inst and it["ent"] is not None)
    if not ents:
        return None
    k = max(ents, key=lambda e: (ents[e], -e))
    name: str = res["entities"][k][0]
    return name


def cross_document(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Gold cross-document instances found in >= 2 documents: share named the same (lower-cased)
    in every one."""
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    label: dict[str, str] = {}
    for res in results:
        for inst, meta in res["inst_meta"].items():
            iid = meta["instance_id"]
            name = _canon_name(res, inst) if iid else None
            if name is None:
                continue
            names[iid][name.lower()].append(f"{res['corpus']}/{res['doc']}")
            label[iid] = meta["instance_name"] or meta["name"]
    multi = {iid: by for iid, by in names.items() if sum(len(d) for d in by.values()) >= 2}
    consistent = [iid for iid, by in multi.items() if len(by) == 1]
    examples = [
        f"{label[iid]}: "
        + ", ".join(f"{n!r} x{len(d)}" for n, d in sorted(by.items(), key=lambda kv: -len(kv[1])))
        for iid, by in multi.items()
        if len(by) > 1
    ]
    return {
        "n": len(multi),
        "consistent": len(consistent),
        "share": _ratio(len(consistent), len(multi)),
        "examples": examples,
    }


def meantime_summary(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The shared scorer's entity measures over graded documents."""
    n = found = 0
    inst_has: set[tuple[str, str, str]] = set()
    inst_found: set[tuple[str, str, str]] = set()
    for res in results:
        for it in res["nam"]:
            n += 1
            found += it["found"]
            if it["inst"] is not None:
                uid = (res["corpus"], res["doc"], it["inst"])
                inst_has.add(uid)
                if it["found"]:
                    inst_found.add(uid)
    prec = [p for res in results for p in res["prec"]]
    b3 = b_cubed(results)
    xdoc = cross_document(results)
    return {
        "docs": len(results),
        "inst_recall": _ratio(len(inst_found), len(inst_has)),
        "ner_recall": _ratio(found, n),
        "ner_precision": _ratio(sum(prec), len(prec)),
        "canon_b3_f1": b3["F1"],
        "canon_b3_p": b3["P"],
        "canon_b3_r": b3["R"],
        "split": len(b3["splits"]),
        "merged": len(b3["merges"]),
        "xdoc_consistency": xdoc["share"],
        "xdoc_instances": xdoc["n"],
        "splits": b3["splits"],
        "merges": b3["merges"],
        "xdoc_examples": xdoc["examples"],
    }


# --- written articles -----------------------------------------------------------------------


def _occurrences(text: str, forms: Sequence[str]) -> list[tuple[str, int, int]]:
    """Whole-word occurrences of each form in text order, none inside a longer form's (forms are
    tried longest first, equal lengths alphabetically, so no set order decides anything)."""
    taken = bytearray(len(text))
    out: list[tuple[str, int, int]] = []
    for form in sorted(set(forms), key=lambda f: (-len(f), f)):
        for match in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text):
            if not any(taken[match.start() : match.end()]):
                taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
                out.append((form, match.start(), match.end()))
    return sorted(out, key=lambda occurrence: occurrence[1])


def grade_written_doc(
    doc: str, gold_entities: Sequence[Mapping[str, Any]], record: Mapping[str, Any]
) -> dict[str, Any]:
    """Per gold entity: the output entity of each located occurrence (the output span that fits it
    best: same span, else the largest overlap, then the shortest span)."""
    value = _value(record)
    fields = {"title": value.get("title") or "", "body": value.get("body") or ""}
    entities, spans = _output_spans(value)
    all_forms = [form for g in gold_entities for form in g["forms"]]
    owner = {form: index for index, g in enumerate(gold_entities) for form in g["forms"]}
    hits: dict[int, list[int | None]] = defaultdict(list)
    for fld, text in fields.items():
        for form, start, end in _occurrences(text, all_forms):
            cands = [sp for sp in spans if sp[0] == fld and _overlap((start, end), (sp[1], sp[2]))]
            best = (
                max(
                    cands,
                    key=lambda sp: (
                        (sp[1], sp[2]) == (start, end),
                        _overlap((start, end), (sp[1], sp[2])),
                        -(sp[2] - sp[1]),
                    ),
                )
                if cands
                else None
            )
            hits[owner[form]].append(best[3] if best else None)
    per_entity = []
    for index, g in enumerate(gold_entities):
        found = [e for e in hits.get(index, []) if e is not None]
        outputs = sorted(set(found))
        # Ties go to the output met first in the text (title, then body).
        main = Counter(found).most_common(1)[0][0] if found else None
        per_entity.append(
            {
                "name": g["name"],
                "type": g["type"],
                "forms": len(g["forms"]),
                "occurrences": len(hits.get(index, [])),
                "found": len(found),
                "outputs": [entities[e].get("name") for e in outputs],
                "merged": len(outputs) == 1,
                "main_name": entities[main].get("name") if main is not None else None,
                "type_ok": main is not None and entities[main].get("type") == g["type"],
                "output_ids": outputs,
            }
        )
    shared = Counter(e for entity in per_entity for e in entity["output_ids"])
    wrong = [entities[e].get("name") for e, count in shared.items() if count > 1]
    return {"doc": doc, "entities": per_entity, "wrong_merges": wrong}


def _written_cross_document(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Gold names found in two or more articles: share whose main output entity has the same
    (lower-cased) name in every one (gold names are the same string wherever one real entity
    appears)."""
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for res in results:
        for e in res["entities"]:
            if e["main_name"] is not None:
                names[e["name"]][e["main_name"].lower()].append(res["doc"])
    multi = {gold: by for gold, by in names.items() if sum(len(d) for d in by.values()) >= 2}
    consistent = [gold for gold, by in multi.items() if len(by) == 1]
    wrong = _cross_document_wrong_merges(names)
    return {
        "xdoc_entities": len(multi),
        "xdoc_consistency": _ratio(len(consistent), len(multi)),
        "xdoc_wrong_merges": len(wrong),
        "xdoc_wrong_merge_examples": wrong,
        "xdoc_examples": [
            f"{gold}: " + ", ".join(f"{n!r} in {','.join(d)}" for n, d in by.items())
            for gold, by in multi.items()
            if len(by) > 1
        ],
    }


def _cross_document_wrong_merges(names: Mapping[str, Mapping[str, Sequence[str]]]) -> list[str]:
    """Output names that two different gold entities take, each in articles of its own (a
    cross-article rename joined what the gold keeps apart; an output that holds both in one article
    is a wrong merge of that article, counted there): "output: gold in docs; gold in docs"."""
    by_output: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for gold, by in names.items():
        for output, docs in by.items():
            by_output[output][gold] = sorted(set(docs))
    out = []
    for output, golds in sorted(by_output.items()):
        docs = [doc for gold_docs in golds.values() for doc in gold_docs]
        if len(golds) > 1 and len(docs) == len(set(docs)):
            out.append(f"{output}: " + "; ".join(f"{g} in {','.join(d)}" for g, d in sorted(golds.items())))
    return out


def written_summary(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    multi = [e for res in results for e in res["entities"] if e["forms"] >= 2 and e["found"] >= 2]
    found = [e for res in results for e in res["entities"] if e["found"]]
    occurrences = sum(e["occurrences"] for res in results for e in res["entities"])
    return {
        "docs": len(results),
        "gold_entities": sum(len(res["entities"]) for res in results),
        "mention_recall": _ratio(sum(e["found"] for e in found), occurrences),
        "multi_form_entities": len(multi),
        "merge_rate": _ratio(sum(e["merged"] for e in multi), len(multi)),
        "wrong_merges": sum(len(res["wrong_merges"]) for res in results),
        "type_accuracy": _ratio(sum(e["type_ok"] for e in found), len(found)),
        "not_merged": [
            f"{res['doc']}: {e['name']} -> {e['outputs']}"
            for res in results
            for e in res["entities"]
            if e in multi and not e["merged"]
        ],
        "wrong_merge_examples": [f"{res['doc']}: {name}" for res in results for name in res["wrong_merges"]],
        "wrong_types": [
            f"{res['doc']}: {e['name']} ({e['type']}) -> {e['outputs']}"
            for res in results
            for e in res["entities"]
            if e["found"] and not e["type_ok"]
        ],
        **_written_cross_document(results),
    }
