"""The directory's two reads for other pages: queries, so page views call them and pass the results
to the templates (template tags only format)."""

from resources.models import Resource


def crisis_lines_for(*, country):
    """Published crisis lines for a country (may be empty) and those that answer everywhere."""
    return list(Resource.objects.published().crisis_lines().for_country(str(country or "")).local_first())


def directory_for(*, country, topics):
    """Published resources for a country and everywhere, in one query, for the `offering` filter to
    split: those for anyone, and those for a topic the person chose to tell (never a default)."""
    return list(
        Resource.objects.published().for_country(str(country or "")).suggested_for(topics).local_first()
    )
