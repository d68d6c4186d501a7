"""Deterministic synthetic articles shaped like source/vertebroplasty.md, for the benchmark.

Same metadata header, a title, a review date, 6 to 8 `##` sections (the last one a
do-not-translate References list with PMIDs), paragraphs of 2 to 5 sentences, bullet lists,
numbers and durations, bold text and a link; about 4 to 5 KB each. The same seed and count
always give the same bytes, so runs on different days measure the same corpus.

    python bench/generate.py OUT_DIR --count 100 [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import textwrap
from pathlib import Path

WIDTH = 78
SIZE_RANGE = (4200, 4900)  # bytes per article; the seed article is 4.5 KB

PROCEDURES = ["arthroscopy", "biopsy", "angioplasty", "ablation", "endoscopy", "fusion",
              "resection", "stent placement", "catheterization", "drainage", "repair", "injection"]
BODY_PARTS = ["knee", "hip", "shoulder", "spine", "kidney", "liver", "heart", "lung", "thyroid",
              "colon", "bladder", "wrist", "ankle", "gallbladder", "prostate", "sinus"]
CONDITIONS = ["osteoarthritis", "a herniated disk", "kidney stones", "chronic sinusitis", "an enlarged prostate",
              "gallstones", "a torn ligament", "atrial fibrillation", "a blocked artery", "a thyroid nodule",
              "chronic back pain", "a narrowed heart valve", "colon polyps", "bladder cancer"]
MEDICINES = ["aspirin", "ibuprofen", "warfarin (Coumadin)", "clopidogrel (Plavix)", "naproxen",
             "acetaminophen (Tylenol)", "metformin", "heparin", "prednisone", "amoxicillin"]
SYMPTOMS = ["fever", "chills", "swelling", "redness", "bleeding", "shortness of breath", "chest pain",
            "nausea", "vomiting", "numbness", "weakness", "dizziness", "a rash", "trouble urinating"]
PEOPLE = ["health care provider", "surgeon", "provider", "nurse", "doctor", "care team"]
ACTIVITIES = ["heavy lifting", "driving", "running", "swimming", "climbing stairs", "sports",
              "bending over", "sexual activity", "work that requires standing"]
UNITS = ["hours", "days", "weeks", "months"]
SECTIONS = ["Description", "Why the Procedure is Performed", "Risks", "Before the Procedure",
            "During the Procedure", "After the Procedure", "Outlook (Prognosis)", "Alternative Names",
            "Recovery at Home", "When to Call the Doctor", "Possible Complications", "Exams and Tests"]
SURNAMES = ["Anselmetti", "Muto", "Esses", "McGuire", "Jenkins", "Williams", "Canale", "Beaty", "Nguyen",
            "Garcia", "Chen", "Okafor", "Larsen", "Haddad", "Rossi", "Kowalski", "Tanaka", "Dubois"]
JOURNALS = ["Radiol Clin North Am", "J Am Acad Orthop Surg", "N Engl J Med", "JAMA", "Lancet",
            "Ann Intern Med", "BMJ", "Spine J", "J Urol", "Am Fam Physician"]
REVIEWERS = ["David Zieve, MD, MHA", "Isla Ogilvie, PhD", "Linda J. Vorvick, MD", "Brent Wisse, MD"]

SENTENCES = [
    "The {person} will explain the risks and benefits of {proc} before you agree to it.",
    "{Proc} is most often done to treat {cond} that has not improved with other treatments.",
    "Most people stay in the hospital for {n} to {n2} days after {proc}.",
    "You may have local anesthesia, so you are awake but unable to feel pain.",
    "The procedure usually takes {n} to {n2} hours, depending on how much work is needed.",
    "Stop taking {med} {n} days before the procedure, unless your {person} tells you otherwise.",
    "Do not eat or drink anything for {n} hours before {proc}.",
    "About {pct}% of people have less pain within {n} {unit} of {proc}.",
    "Call your {person} if you have {sym} or {sym2} after you go home.",
    "Avoid {act} for at least {n} {unit} after {proc}.",
    "A small tube called a catheter may be placed in your {part} to drain fluid.",
    "Your {person} may take x-rays or other images of your {part} to plan the procedure.",
    "A temperature of 38.3°C (101°F) or higher can be a sign of infection.",
    "Take {med} only as directed by your {person}, and never more than {dose} mg a day.",
    "Most people return to light activities within {n} {unit}.",
    "Full recovery from {proc} can take {n} to {n2} {unit}.",
    "People who have {cond} are more likely to need {proc} of the {part}.",
    "You will have a follow-up visit {n} to {n2} weeks after surgery.",
    "Keep the wound dry for {n} days, and change the dressing as you were shown.",
    "Tell your {person} about any allergies to medicines, latex, or contrast dye.",
    "Smoking slows healing, so try to stop at least {n} weeks before {proc}.",
    "The {person} makes a cut about {cm} centimeters long over your {part}.",
    "Some people feel tired for {n} to {n2} days after going home.",
    "Ask your {person} which medicines you should still take on the day of {proc}.",
    "Walking {n} to {n2} times a day helps prevent blood clots in your legs.",
    "The results of {proc} are usually good, and most people need no further treatment.",
]
BULLETS = [
    "{Sym} that does not go away",
    "Bleeding that soaks through the bandage",
    "Allergic reactions to {med}",
    "Problems breathing or heart problems from anesthesia",
    "Damage to nearby nerves or blood vessels in the {part}",
    "Infection at the site of the cut",
    "A fever higher than 38.3°C (101°F)",
    "Pain that is not helped by {med}",
    "Blood clots in the legs that may travel to the lungs",
    "Take {med} as prescribed, {n} times a day.",
    "Do not lift anything heavier than {kg} kilograms ({lb} pounds) for {n} {unit}.",
    "You may shower after {n2} hours, but do not soak the wound.",
    "Return to work after {n} to {n2} {unit}, depending on your job.",
    "Use ice on the area for {n2} minutes at a time.",
    "What drugs you are taking, including those you bought without a prescription",
    "If you could be pregnant",
    "If you have been drinking more than {n} alcoholic drinks a day",
]
LIST_INTROS = ["Complications may include:", "Always tell your {person}:", "After the procedure:",
               "Call your {person} if you have:", "During the days before the surgery:",
               "Risks of {proc} include:", "At home:"]


def _fill(template: str, rng: random.Random, topic: dict[str, str]) -> str:
    n = rng.randint(2, 12)
    symptoms = rng.sample(SYMPTOMS, 2)
    values = {
        "proc": topic["proc"], "Proc": topic["proc"][0].upper() + topic["proc"][1:], "part": topic["part"],
        "cond": rng.choice(CONDITIONS), "med": rng.choice(MEDICINES), "person": rng.choice(PEOPLE),
        "sym": symptoms[0], "sym2": symptoms[1], "act": rng.choice(ACTIVITIES),
        "unit": rng.choice(UNITS), "n": str(n), "n2": str(n + rng.randint(1, 12)),
        "pct": str(rng.randint(5, 95)), "dose": str(rng.choice([250, 500, 1000, 2000, 3000])),
        "cm": str(rng.randint(2, 15)), "kg": str(rng.randint(2, 10)),
    }
    values["Sym"] = values["sym"][0].upper() + values["sym"][1:]
    values["lb"] = str(round(int(values["kg"]) * 2.2))
    return template.format(**values)


def _paragraph(rng: random.Random, topic: dict[str, str], link: bool = False) -> list[str]:
    sentences = [_fill(rng.choice(SENTENCES), rng, topic) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.3:
        index = rng.randrange(len(sentences))
        sentences[index] = sentences[index].replace("procedure", "**procedure**", 1)
    if link:
        other = rng.choice(PROCEDURES)
        slug = other.replace(" ", "-")
        sentences[0] = f"This procedure is similar to [{other}]({slug}.html), which is also used for {rng.choice(CONDITIONS)}."
    return textwrap.wrap(" ".join(sentences), WIDTH, break_long_words=False, break_on_hyphens=False) + [""]


def _bullet_list(rng: random.Random, topic: dict[str, str]) -> list[str]:
    lines = [_fill(rng.choice(LIST_INTROS), rng, topic), ""]
    for template in rng.sample(BULLETS, rng.randint(3, 6)):
        lines += _item(_fill(template, rng, topic))
    return lines + [""]


def _item(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="- ", subsequent_indent="  ",
                         break_long_words=False, break_on_hyphens=False)


def _references(rng: random.Random) -> list[str]:
    lines = ["## References", "", "<!-- medloc: do-not-translate -->"]
    for _ in range(rng.randint(2, 3)):
        authors = ", ".join(f"{rng.choice(SURNAMES)} {rng.choice('ABCDEFGHJKLMRS')}{rng.choice('ABCDEKMST')}"
                            for _ in range(rng.randint(1, 3)))
        year, pmid = rng.randint(2008, 2023), rng.randint(10_000_000, 39_999_999)
        first = rng.randint(100, 900)
        text = (f"{authors}, et al. {rng.choice(['Treatment', 'Outcomes', 'Management'])} of "
                f"{rng.choice(CONDITIONS)}. *{rng.choice(JOURNALS)}*. {year};{rng.randint(10, 90)}"
                f"({rng.randint(1, 12)}):{first}-{first + rng.randint(5, 30)}. PMID: {pmid} "
                f"[www.ncbi.nlm.nih.gov/pubmed/{pmid}](https://www.ncbi.nlm.nih.gov/pubmed/{pmid}).")
        lines += _item(text)
    return lines


def article(index: int, seed: int = 7) -> str:
    """The text of article number INDEX; depends only on (INDEX, SEED)."""
    rng = random.Random(f"{seed}:{index}")
    topic = {"proc": rng.choice(PROCEDURES), "part": rng.choice(BODY_PARTS)}
    title = f"{topic['part'].capitalize()} {topic['proc']} ({index})"
    review = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
    header = [
        f"Title: {title}",
        f"Review-Date: {review.isoformat()}",
        f"Updated-By: {rng.choice(SURNAMES)} {rng.choice('ABCDJKLM')}, MD, Professor, Department of",
        "    Surgery, University Medical Center.",
        f"Also-Reviewed-By: {rng.choice(REVIEWERS)}, and the A.D.A.M. Editorial team.",
        "",
    ]
    target = rng.randint(*SIZE_RANGE)
    names = rng.sample(SECTIONS, rng.randint(5, 7))  # plus References: 6 to 8 sections
    sections: list[list[str]] = [[f"## {name}", ""] + _paragraph(rng, topic, link=(i == 0))
                                 for i, name in enumerate(names)]
    rng.choice(sections[1:]).extend(_bullet_list(rng, topic))  # every article has at least one list
    intro = _paragraph(rng, topic)
    references = _references(rng)

    def size() -> int:
        return len("\n".join(header + intro + [line for s in sections for line in s] + references).encode()) + 1

    while size() < target:
        block = _bullet_list(rng, topic) if rng.random() < 0.35 else _paragraph(rng, topic)
        if size() + len("\n".join(block)) > SIZE_RANGE[1]:
            break
        rng.choice(sections).extend(block)
    return "\n".join(header + intro + [line for s in sections for line in s] + references) + "\n"


def doc_name(index: int) -> str:
    return f"article-{index:05d}"


def generate(out: Path, count: int, seed: int = 7) -> list[Path]:
    """Write COUNT articles into OUT (created if needed); returns their paths in order."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(1, count + 1):
        path = out / f"{doc_name(index)}.md"
        path.write_text(article(index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    generate(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
