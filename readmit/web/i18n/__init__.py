"""Interface languages: the languages offered, their names, the catalogues and the check that
every sentence of a template is marked for translation (docs/adr/0017-interface-languages.md)."""
