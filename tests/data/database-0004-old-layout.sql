BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0004');
CREATE TABLE answer (
	dossier_id INTEGER NOT NULL, 
	question_id VARCHAR(80) NOT NULL, 
	value JSON, 
	updated_at DATETIME NOT NULL, revision INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (dossier_id, question_id), 
	FOREIGN KEY(dossier_id) REFERENCES dossier (id) ON DELETE CASCADE
);
INSERT INTO "answer" VALUES(1,'inwoners',12000,'2026-12-01 10:00:00',1);
CREATE TABLE catalogue_decision (
	id INTEGER NOT NULL, 
	submission_id INTEGER NOT NULL, 
	fact_id VARCHAR(80) NOT NULL, 
	decision VARCHAR(20) NOT NULL, 
	reason TEXT DEFAULT '' NOT NULL, 
	curator VARCHAR(200) NOT NULL, 
	decided_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (submission_id, fact_id), 
	FOREIGN KEY(submission_id) REFERENCES vendor_submission (id) ON DELETE CASCADE
);
CREATE TABLE dossier (
	id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	municipality VARCHAR(200) NOT NULL, 
	advisor VARCHAR(200) DEFAULT '' NOT NULL, 
	inhabitants INTEGER, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, revision INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "dossier" VALUES(1,'e33b60f42669712adfbba8373c14eb8139bf36dba4457b8955c5a3a80ee05892','Oudlaag','adviseur',12000,'2026-12-01 10:00:00','2026-12-01 10:00:00',1);
CREATE TABLE local_fact (
	dossier_id INTEGER NOT NULL, 
	platform_id VARCHAR(80) NOT NULL, 
	fact_id VARCHAR(80) NOT NULL, 
	answer JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (dossier_id, platform_id, fact_id), 
	FOREIGN KEY(dossier_id) REFERENCES dossier (id) ON DELETE CASCADE
);
CREATE TABLE participant (
	id INTEGER NOT NULL, 
	workshop_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	answers JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT fk_participant_workshop FOREIGN KEY(workshop_id) REFERENCES workshop (id) ON DELETE CASCADE
);
CREATE TABLE vendor_link (
	id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	platform_id VARCHAR(80) NOT NULL, 
	dossier_id INTEGER, 
	share_dossier BOOLEAN DEFAULT 0 NOT NULL, 
	created_by VARCHAR(200) DEFAULT '' NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(dossier_id) REFERENCES dossier (id) ON DELETE CASCADE
);
CREATE TABLE vendor_submission (
	id INTEGER NOT NULL, 
	link_id INTEGER NOT NULL, 
	platform_id VARCHAR(80) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	name VARCHAR(200) DEFAULT '' NOT NULL, 
	role VARCHAR(200) DEFAULT '' NOT NULL, 
	answers JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (link_id), 
	FOREIGN KEY(link_id) REFERENCES vendor_link (id) ON DELETE CASCADE
);
CREATE TABLE workshop (
	id INTEGER NOT NULL, 
	dossier_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	link_salt VARCHAR(64) NOT NULL, 
	sections JSON NOT NULL, 
	status VARCHAR(10) DEFAULT 'open' NOT NULL, 
	created_at DATETIME NOT NULL, 
	closed_at DATETIME, 
	adopted_at DATETIME, 
	adopted_summary JSON, 
	PRIMARY KEY (id), 
	CONSTRAINT fk_workshop_dossier FOREIGN KEY(dossier_id) REFERENCES dossier (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_dossier_token_hash ON dossier (token_hash);
CREATE UNIQUE INDEX ix_workshop_dossier_id ON workshop (dossier_id);
CREATE UNIQUE INDEX ix_workshop_token_hash ON workshop (token_hash);
CREATE INDEX ix_participant_workshop_id ON participant (workshop_id);
CREATE UNIQUE INDEX ix_participant_token_hash ON participant (token_hash);
CREATE UNIQUE INDEX ix_vendor_link_token_hash ON vendor_link (token_hash);
COMMIT;
