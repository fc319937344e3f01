"""Persistence without Flask: where the data lives (`config`), the database engine, dossiers
and their answers, workshops and participants, vendor links, submissions, local facts, the
curator's queue and rounds, and the schema migrations (`migrate`).

The web app binds its engine here (kompas.web.db); the command line opens the same database
(`base.open_configured`, by `config.database_url`) without building an app.
"""
