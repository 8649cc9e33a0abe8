"""Draw the labelling sample from an HSDS 1.x package (services.csv,
services_taxonomy.csv, taxonomy.csv): 200 services at random
(random.Random(26).sample over the ids sorted as numbers) plus every service
whose name or taxonomy names mention a behavioral-health word."""
import csv, random, re, sys, json
d = sys.argv[1]
def rows(f):
    with open(f"{d}/{f}", newline="", encoding="utf-8") as h:
        return list(csv.DictReader(h))
svc = {r["id"]: r for r in rows("services.csv")}
tax = {r["id"]: r["name"] for r in rows("taxonomy.csv")}
terms = {}
for r in rows("services_taxonomy.csv"):
    terms.setdefault(r["service_id"], []).append(tax.get(r["taxonomy_id"], r["taxonomy_id"]))
ids = sorted(svc, key=int)
rand = set(random.Random(26).sample(ids, 200))
WORDS = re.compile(r"mental health|counsel|substance|behavioral|behavioural|psychiatr|crisis", re.I)
kw = {i for i in ids if WORDS.search(svc[i]["name"] + " | " + " | ".join(terms.get(i, [])))}
out = []
for i in ids:
    if i in rand or i in kw:
        why = "+".join(x for x, s in (("random", rand), ("keyword", kw)) if i in s)
        out.append({"id": i, "drawn": why, "name": svc[i]["name"],
                    "terms": terms.get(i, []), "desc": svc[i]["description"]})
json.dump(out, sys.stdout, indent=0)
print(len(rand), len(kw), len(rand & kw), len(out), file=sys.stderr)
