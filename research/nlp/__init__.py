"""The analysis engine: what customers said, turned into findings a consultant can defend.

A pipeline of small stages, each in its own module, run in order by `pipeline.py`:

    language   fr / en per utterance                                  (language.py)
    text       tokens and lemmas, accents kept, stop words removed    (text.py)
    embed      sentence embeddings, cached by model and text          (embed.py)
    polarity   lexicon polarity with negation, intensity, contrast    (polarity.py)
    classify   irritant / enchantment / neutral, confidence,
               expectation flag; learns from the researcher's codes   (classify.py)
    dimension  relational / service / experiential / emotional        (dimension.py)
    steps      journey step: guide section, else similarity           (steps.py)
    themes     every utterance in a theme, labels from lemmas         (themes.py)
    personas   first-person traits, archetypes against personas       (personas.py)
    brand_gap  platform values as evoked by customers and employees   (brand_gap.py)
    attributes qualities customers give the brand, claimed or not     (attributes.py)

Heavy libraries (spaCy, sentence-transformers, scikit-learn) are imported inside the stage that
needs them, so the command line answers fast and unit tests run with a fake embedder.
"""
