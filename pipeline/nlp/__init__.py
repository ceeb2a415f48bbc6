"""NLP components: the Indonesian NER model and its training data tools."""
