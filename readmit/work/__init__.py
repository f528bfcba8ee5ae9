"""The caseworker's day: who owns a case or list, the inbox, notifications (ADR 0014)."""
