"""People's search keys (one row per name part) and the searches users save by name."""

from __future__ import annotations

from django.db import models

from readmit.accounts.models import User
from readmit.cases.models import Person
from readmit.core.models import BaseModel


class SearchTerm(models.Model):
    """One part of one of a person's names, as the search keys read it (``search.keys``).

    Derived data: written only by ``search.services.search_terms_refresh`` whenever a
    person's names change, and rebuilt by ``manage.py search_rebuild``. On PostgreSQL a
    ``pg_trgm`` GIN index serves prefixes and parts of ``folded`` (migration 0001).
    """

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_terms")
    folded = models.CharField(max_length=100)
    skeleton = models.CharField(max_length=100)
    consonants = models.CharField(max_length=100, blank=True)
    abjad = models.BooleanField(default=False, help_text="Written in an abjad (Arabic, Hebrew).")
    source = models.CharField(max_length=10, help_text="name, latin, or the other name's kind.")

    class Meta:
        indexes = [
            models.Index(
                fields=["folded"], name="search_term_folded", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["skeleton"], name="search_term_skeleton"),
            models.Index(fields=["consonants"], name="search_term_consonants"),
            # A Latin word meets only abjad parts by consonants: a small partial index.
            models.Index(
                fields=["consonants"], condition=models.Q(abjad=True), name="search_term_abjad"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.folded} ({self.source})"


class SavedSearch(BaseModel):
    """A search a user keeps under a name; only its owner sees it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name
