<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>ChainBrowser</name>
    <message>
        <location filename="../ui/chain/ChainBrowser.ui" line="+23"/>
        <location line="+137"/>
        <source>Certificates</source>
        <translation>Certificats</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>Search name, issuer, serial, SAN, fingerprint</source>
        <translation>Rechercher un nom, un émetteur, un numéro de série, un SAN, une empreinte</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Search certificates</source>
        <translation>Rechercher des certificats</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Open File…</source>
        <translation>&amp;Ouvrir un fichier…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open a certificate file: PEM, DER, PKCS#7 (.p7b) or PKCS#12 (.p12). You can also drop a file here.</source>
        <translation>Ouvrir un fichier de certificat : PEM, DER, PKCS#7 (.p7b) ou PKCS#12 (.p12). Vous pouvez aussi déposer un fichier ici.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>&amp;Password of this file:</source>
        <translation>&amp;Mot de passe de ce fichier :</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Open a certificate file, drop one here, or run a test to see the chain a server presents.</source>
        <translation>Ouvrez un fichier de certificat, déposez-en un ici ou lancez un test pour voir la chaîne présentée par un serveur.</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Status of the selected certificate</source>
        <translation>État du certificat sélectionné</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Details</source>
        <translation>&amp;Détails</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Certificate fields</source>
        <translation>Champs du certificat</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>PE&amp;M</source>
        <translation>&amp;PEM</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Expor&amp;t PEM…</source>
        <translation>E&amp;xporter en PEM…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export DE&amp;R…</source>
        <translation>Exporter en DE&amp;R…</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Certificate in PEM form</source>
        <translation>Certificat au format PEM</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Copy PEM</source>
        <translation>&amp;Copier le PEM</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the selected certificate in PEM form to the clipboard</source>
        <translation>Copier le certificat sélectionné au format PEM dans le presse-papiers</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save the selected certificate as a PEM file (what libpq reads)</source>
        <translation>Enregistrer le certificat sélectionné dans un fichier PEM (le format que lit libpq)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save the selected certificate as a binary DER file</source>
        <translation>Enregistrer le certificat sélectionné dans un fichier DER binaire</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Export &amp;All…</source>
        <translation>&amp;Tout exporter…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save every certificate shown here into one PEM file, in this order</source>
        <translation>Enregistrer tous les certificats affichés ici dans un seul fichier PEM, dans cet ordre</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../ui/interop/ExportDialog.ui" line="+14"/>
        <source>Export Connection</source>
        <translation>Exporter la connexion</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&amp;Format:</source>
        <translation>&amp;Format :</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>What to write the connection as</source>
        <translation>Sous quelle forme écrire la connexion</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export format</source>
        <translation>Format d&apos;export</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service &amp;name:</source>
        <translation>&amp;Nom du service :</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The section name: connect with service=NAME or PGSERVICE=NAME</source>
        <translation>Le nom de la section : connectez-vous avec service=NOM ou PGSERVICE=NOM</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service name</source>
        <translation>Nom du service</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Include &amp;secrets (the password and the key password) in plain text</source>
        <translation>Inclure les &amp;secrets (le mot de passe et celui de la clé) en clair</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Secrets are left out unless you tick this</source>
        <translation>Les secrets sont omis sauf si vous cochez cette case</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Warning about secrets</source>
        <translation>Avertissement concernant les secrets</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The exported text: select and copy it, or use Copy and Save</source>
        <translation>Le texte exporté : sélectionnez-le et copiez-le, ou utilisez Copier et Enregistrer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported text</source>
        <translation>Texte exporté</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Why this format cannot be written</source>
        <translation>Pourquoi ce format ne peut pas être écrit</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Where the target behaves differently from libpq, and what to check</source>
        <translation>Où la cible se comporte différemment de libpq, et ce qu&apos;il faut vérifier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Notes on this format</source>
        <translation>Remarques sur ce format</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the text to the clipboard</source>
        <translation>Copier le texte dans le presse-papiers</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sa&amp;ve…</source>
        <translation>&amp;Enregistrer…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save the text to a file (readable only by you when it holds a secret)</source>
        <translation>Enregistrer le texte dans un fichier (lisible par vous seul s&apos;il contient un secret)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Add to Password File</source>
        <translation>&amp;Ajouter au fichier de mots de passe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Append the line to your password file, created readable only by you (0600)</source>
        <translation>Ajouter la ligne à la fin de votre fichier de mots de passe, créé lisible par vous seul (0600)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Convert &amp;Key to PKCS#8…</source>
        <translation>Convertir la c&amp;lé en PKCS#8…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write the client key as PKCS#8 DER (.pk8), the form pgJDBC reads</source>
        <translation>Écrire la clé client au format PKCS#8 DER (.pk8), la forme que lit pgJDBC</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Result of the last action</source>
        <translation>Résultat de la dernière action</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../ui/interop/ImportDialog.ui" line="+14"/>
        <source>Import Connections</source>
        <translation>Importer des connexions</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Where to import from</source>
        <translation>Source de l&apos;import</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Paste</source>
        <translation>&amp;Coller</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import a libpq connection string or URI you paste</source>
        <translation>Importer une chaîne de connexion ou une URI libpq que vous collez</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Paste a libpq connection string (host=… dbname=…) or a URI (postgresql://…); the form is recognised as you type.</source>
        <translation>Collez une chaîne de connexion libpq (host=… dbname=…) ou une URI (postgresql://…) ; la forme est reconnue pendant la saisie.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A keyword/value string such as host=db.example.com dbname=app sslmode=verify-full, or a URI such as postgresql://alice@db.example.com/app?sslmode=verify-full</source>
        <translation>Une chaîne mot-clé/valeur telle que host=db.example.com dbname=app sslmode=verify-full, ou une URI telle que postgresql://alice@db.example.com/app?sslmode=verify-full</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connection string or URI</source>
        <translation>Chaîne de connexion ou URI</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>What was recognised</source>
        <translation>Ce qui a été reconnu</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Profile &amp;name:</source>
        <translation>&amp;Nom du profil :</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The name of the new profile; suggested from the database and host</source>
        <translation>Le nom du nouveau profil ; proposé d&apos;après la base de données et l&apos;hôte</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Profile name</source>
        <translation>Nom du profil</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The settings the text gives, as libpq reads them</source>
        <translation>Les paramètres que donne le texte, tels que libpq les lit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings found</source>
        <translation>Paramètres trouvés</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+75"/>
        <location line="+224"/>
        <source>Setting</source>
        <translation>Paramètre</translation>
    </message>
    <message>
        <location line="-294"/>
        <location line="+75"/>
        <location line="+224"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="-290"/>
        <source>&amp;Service Files</source>
        <translation>&amp;Fichiers de services</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import sections of pg_service.conf files</source>
        <translation>Importer des sections de fichiers pg_service.conf</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection service files libpq reads: yours (PGSERVICEFILE or ~/.pg_service.conf) and the system&apos;s. Tick the sections to import; each is read exactly as libpq reads it.</source>
        <translation>Les fichiers de services de connexion que lit libpq : le vôtre (PGSERVICEFILE ou ~/.pg_service.conf) et celui du système. Cochez les sections à importer ; chacune est lue exactement comme libpq la lit.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service files and their sections; tick the sections to import</source>
        <translation>Fichiers de services et leurs sections ; cochez les sections à importer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service files and sections</source>
        <translation>Fichiers de services et sections</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+169"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="-161"/>
        <source>The settings of the selected section, with their line in the file</source>
        <translation>Les paramètres de la section sélectionnée, avec leur ligne dans le fichier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings of the selected section</source>
        <translation>Paramètres de la section sélectionnée</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+224"/>
        <source>From</source>
        <translation>Provenance</translation>
    </message>
    <message>
        <location line="-204"/>
        <source>&amp;Refer to the service instead of copying its settings</source>
        <translation>Faire &amp;référence au service au lieu de copier ses paramètres</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The profile holds only service=NAME; libpq reads the settings from the service file each time, so later edits to the file apply</source>
        <translation>Le profil ne contient que service=NOM ; libpq lit les paramètres dans le fichier de services à chaque fois, donc les modifications ultérieures du fichier s&apos;appliquent</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Re&amp;load</source>
        <translation>Rec&amp;harger</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read the service files again</source>
        <translation>Relire les fichiers de services</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>pg&amp;Admin 4</source>
        <translation>pg&amp;Admin 4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import servers from a pgAdmin 4 export (servers.json)</source>
        <translation>Importer des serveurs depuis un export pgAdmin 4 (servers.json)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A JSON file exported from pgAdmin 4 (Tools → Import/Export Servers, or setup.py dump-servers), with its SSL settings. pgAdmin never exports passwords.</source>
        <translation>Un fichier JSON exporté depuis pgAdmin 4 (Tools → Import/Export Servers, ou setup.py dump-servers), avec ses paramètres SSL. pgAdmin n&apos;exporte jamais les mots de passe.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The pgAdmin export file; press Enter to read it</source>
        <translation>Le fichier d&apos;export pgAdmin ; appuyez sur Entrée pour le lire</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pgAdmin export file</source>
        <translation>Fichier d&apos;export pgAdmin</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>servers.json</source>
        <translation>servers.json</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Choose File…</source>
        <translation>C&amp;hoisir un fichier…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the JSON file pgAdmin exported</source>
        <translation>Choisir le fichier JSON exporté par pgAdmin</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>pgAdmin file status</source>
        <translation>État du fichier pgAdmin</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The servers in the file; tick the ones to import</source>
        <translation>Les serveurs du fichier ; cochez ceux à importer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pgAdmin servers</source>
        <translation>Serveurs pgAdmin</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Group</source>
        <translation>Groupe</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Select A&amp;ll</source>
        <translation>Tout sé&amp;lectionner</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tick every server that can be imported</source>
        <translation>Cocher tous les serveurs qui peuvent être importés</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Select &amp;None</source>
        <translation>Tout &amp;désélectionner</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Untick every server</source>
        <translation>Décocher tous les serveurs</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Environment</source>
        <translation>&amp;Environnement</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A profile from the PG* variables and ~/.postgresql/ files of this session</source>
        <translation>Un profil à partir des variables PG* et des fichiers ~/.postgresql/ de cette session</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>What libpq would take from this session without a connection string: the PG* environment variables and the files in ~/.postgresql/ that exist. Only values that are set are imported.</source>
        <translation>Ce que libpq prendrait dans cette session sans chaîne de connexion : les variables d&apos;environnement PG* et les fichiers de ~/.postgresql/ qui existent. Seules les valeurs définies sont importées.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The settings found, and where each comes from</source>
        <translation>Les paramètres trouvés, et la provenance de chacun</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings from the environment</source>
        <translation>Paramètres issus de l&apos;environnement</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/main/MainWindow.ui" line="+8"/>
        <source>VerifyFull</source>
        <translation>VerifyFull</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Connections</source>
        <translation>Connexions</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&lt;h2&gt;No profile selected&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Aucun profil sélectionné&lt;/h2&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A profile holds the settings of one PostgreSQL connection. New profiles start at sslmode=verify-full: encrypted, and the server&apos;s certificate and host name are checked.</source>
        <translation>Un profil contient les paramètres d&apos;une connexion PostgreSQL. Les nouveaux profils démarrent avec sslmode=verify-full : connexion chiffrée, certificat et nom d&apos;hôte du serveur vérifiés.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New Profile</source>
        <translation>Nouveau profil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a connection profile (Ctrl+N)</source>
        <translation>Créer un profil de connexion (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open Certificate File…</source>
        <translation>Ouvrir un fichier de certificat…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look at a certificate, bundle or key file (Ctrl+O)</source>
        <translation>Examiner un fichier de certificat, de conteneur ou de clé (Ctrl+O)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Certificates</source>
        <translation>Certificats</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Edit</source>
        <translation>&amp;Édition</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>Affic&amp;hage</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Open Certificate File…</source>
        <translation>&amp;Ouvrir un fichier de certificat…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a certificate, bundle, CRL or key file in the certificate browser</source>
        <translation>Ouvrir un fichier de certificat, de conteneur, de CRL ou de clé dans le navigateur de certificats</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Connections</source>
        <translation>&amp;Connexions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C&amp;ertificates</source>
        <translation>C&amp;ertificats</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Protection of This Profile</source>
        <translation>&amp;Protection de ce profil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+3</source>
        <translation>Ctrl+3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Profile &amp;List</source>
        <translation>&amp;Liste des profils</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;What Each sslmode Protects Against</source>
        <translation>&amp;Risques couverts par chaque sslmode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;About VerifyFull</source>
        <translation>À &amp;propos de VerifyFull</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <location filename="../ui/profiles/ProfileEditor.ui" line="+34"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+7"/>
        <source>The profile name shown in the list</source>
        <translation>Le nom du profil affiché dans la liste</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Profile name</source>
        <translation>Nom du profil</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>How well this profile&apos;s sslmode protects the connection; see the Protection tab</source>
        <translation>Niveau de protection de la connexion avec le sslmode de ce profil ; voir l&apos;onglet Protection</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Test Connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect with these settings and show every step (Ctrl+T)</source>
        <translation>Se connecter avec ces paramètres et afficher chaque étape (Ctrl+T)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&amp;Connection</source>
        <translation>&amp;Connexion</translation>
    </message>
    <message>
        <location line="+43"/>
        <location line="+24"/>
        <source>host: the server&apos;s name as written in its certificate (or an IP address, or a Unix-socket directory). Several hosts: separate them with commas.</source>
        <translation>host : le nom du serveur tel qu&apos;il figure dans son certificat (ou une adresse IP, ou un répertoire de socket Unix). Plusieurs hôtes : séparez-les par des virgules.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Host names</source>
        <translation>Noms d&apos;hôte</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>db.example.com</source>
        <translation>db.example.com</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;Port:</source>
        <translation>&amp;Port :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>port: the server&apos;s TCP port (libpq&apos;s default is 5432). With several hosts, one port per host, separated by commas.</source>
        <translation>port : le port TCP du serveur (5432 par défaut dans libpq). Avec plusieurs hôtes, un port par hôte, séparés par des virgules.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;Database:</source>
        <translation>&amp;Base de données :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>dbname: the database to connect to (libpq&apos;s default is the user name).</source>
        <translation>dbname : la base de données à laquelle se connecter (par défaut, libpq utilise le nom d&apos;utilisateur).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Database name</source>
        <translation>Nom de la base de données</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;User:</source>
        <translation>&amp;Utilisateur :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>user: the PostgreSQL role to connect as (libpq&apos;s default is your operating-system user name).</source>
        <translation>user : le rôle PostgreSQL sous lequel se connecter (par défaut, libpq utilise votre nom d&apos;utilisateur du système d&apos;exploitation).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User name</source>
        <translation>Nom d&apos;utilisateur</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Pass&amp;word:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+29"/>
        <source>password: kept until VerifyFull closes, or in the system keychain if you choose to. It is never written to the profile file.</source>
        <translation>password : conservé jusqu&apos;à la fermeture de VerifyFull, ou dans le trousseau du système si vous le choisissez. Il n&apos;est jamais écrit dans le fichier de profils.</translation>
    </message>
    <message>
        <location line="-270"/>
        <source>Ho&amp;st(s):</source>
        <translation>Hôt&amp;e(s) :</translation>
    </message>
    <message>
        <location line="+279"/>
        <location line="+492"/>
        <source>Asked when needed</source>
        <translation>Demandé si nécessaire</translation>
    </message>
    <message>
        <location line="-482"/>
        <source>Remember in &amp;keychain</source>
        <translation>Mémoriser dans le &amp;trousseau</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Connect t&amp;imeout (seconds):</source>
        <translation>Délai de connex&amp;ion (secondes) :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>connect_timeout: how long to wait for each host, in seconds (0 or empty: wait indefinitely).</source>
        <translation>connect_timeout : durée d&apos;attente pour chaque hôte, en secondes (0 ou vide : attente illimitée).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect timeout in seconds</source>
        <translation>Délai de connexion en secondes</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+24"/>
        <source>application_name: the name the server shows for this connection in pg_stat_activity.</source>
        <translation>application_name : le nom sous lequel le serveur affiche cette connexion dans pg_stat_activity.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Application name</source>
        <translation>Nom d&apos;application</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>SS&amp;L</source>
        <translation>SS&amp;L</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>SSL &amp;mode:</source>
        <translation>&amp;Mode SSL :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode: whether and how strictly TLS is used</source>
        <translation>sslmode : si TLS est utilisé, et avec quelle rigueur</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>sslmode: whether the connection is encrypted and how the server is checked</source>
        <translation>sslmode : si la connexion est chiffrée et comment le serveur est vérifié</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SSL mode</source>
        <translation>Mode SSL</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Checking the server</source>
        <translation>Vérification du serveur</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Root certificate:</source>
        <translation>Certificat &amp;racine :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslrootcert: the certificate(s) of the CA that signed the server&apos;s certificate</source>
        <translation>sslrootcert : le ou les certificats de l&apos;AC qui a signé le certificat du serveur</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Use the &amp;system&apos;s trusted roots (sslrootcert=system)</source>
        <translation>Utiliser les racines de confiance du s&amp;ystème (sslrootcert=system)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trust the certificate authorities of the operating system, for servers with a certificate from a public CA (cloud services). libpq then requires verify-full.</source>
        <translation>Faire confiance aux autorités de certification du système d&apos;exploitation, pour les serveurs dont le certificat provient d&apos;une AC publique (services cloud). libpq exige alors verify-full.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslrootcert: a PEM file with your CA&apos;s root certificate</source>
        <translation>sslrootcert : un fichier PEM contenant le certificat racine de votre AC</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Root certificate file</source>
        <translation>Fichier du certificat racine</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>CRL &amp;file:</source>
        <translation>&amp;Fichier CRL :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslcrl: revoked server certificates</source>
        <translation>sslcrl : certificats de serveur révoqués</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslcrl: a PEM file with certificate revocation lists of your CA</source>
        <translation>sslcrl : un fichier PEM contenant les listes de révocation (CRL) de votre AC</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CRL file</source>
        <translation>Fichier CRL</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>CRL director&amp;y:</source>
        <translation>&amp;Répertoire CRL :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslcrldir: a directory of CRLs named by issuer hash</source>
        <translation>sslcrldir : un répertoire de CRL nommées d&apos;après le hachage de l&apos;émetteur</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslcrldir: a directory of CRL files named by issuer hash (as &quot;openssl rehash&quot; creates)</source>
        <translation>sslcrldir : un répertoire de fichiers CRL nommés d&apos;après le hachage de l&apos;émetteur (tels que les crée « openssl rehash »)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CRL directory</source>
        <translation>Répertoire CRL</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your client certificate (when the server asks for one)</source>
        <translation>Votre certificat client (si le serveur en demande un)</translation>
    </message>
    <message>
        <location line="-298"/>
        <source>Applica&amp;tion name:</source>
        <translation>Nom &amp;de l&apos;application :</translation>
    </message>
    <message>
        <location line="+310"/>
        <source>Clien&amp;t certificate:</source>
        <translation>Certificat cli&amp;ent :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslcert: your certificate, when the server asks for one</source>
        <translation>sslcert : votre certificat, si le serveur en demande un</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslcert: a PEM file with your client certificate (and its chain)</source>
        <translation>sslcert : un fichier PEM contenant votre certificat client (et sa chaîne)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Client certificate file</source>
        <translation>Fichier du certificat client</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Client &amp;key:</source>
        <translation>Clé clien&amp;t :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslkey: the private key of your client certificate</source>
        <translation>sslkey : la clé privée de votre certificat client</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslkey: the private key of the client certificate (PEM or DER; mode 0600)</source>
        <translation>sslkey : la clé privée du certificat client (PEM ou DER ; mode 0600)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Client key file</source>
        <translation>Fichier de la clé client</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Key pass&amp;word:</source>
        <translation>Mot de pa&amp;sse de la clé :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslpassword: the password of an encrypted client key</source>
        <translation>sslpassword : le mot de passe d&apos;une clé client chiffrée</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>sslpassword: the password of an encrypted client key. Kept until VerifyFull closes, or in the system keychain if you choose to; never written to the profile file.</source>
        <translation>sslpassword : le mot de passe d&apos;une clé client chiffrée. Conservé jusqu&apos;à la fermeture de VerifyFull, ou dans le trousseau du système si vous le choisissez ; jamais écrit dans le fichier de profils.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Key password</source>
        <translation>Mot de passe de la clé</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Remember in ke&amp;ychain</source>
        <translation>Mémoriser &amp;dans le trousseau</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>TLS options</source>
        <translation>Options TLS</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>SN&amp;I:</source>
        <translation>SN&amp;I :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>sslsni: send the host name in the TLS handshake (Server Name Indication), which proxies and cloud services need</source>
        <translation>sslsni : envoyer le nom d&apos;hôte lors du handshake TLS (Server Name Indication), ce dont les proxys et les services cloud ont besoin</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Server Name Indication</source>
        <translation>Server Name Indication</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Minim&amp;um TLS version:</source>
        <translation>Version TLS &amp;minimale :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>ssl_min_protocol_version: the oldest TLS version allowed (libpq&apos;s default is TLSv1.2)</source>
        <translation>ssl_min_protocol_version : la plus ancienne version de TLS autorisée (TLSv1.2 par défaut dans libpq)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Minimum TLS version</source>
        <translation>Version TLS minimale</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Ma&amp;ximum TLS version:</source>
        <translation>Version TLS ma&amp;ximale :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>ssl_max_protocol_version: the newest TLS version allowed (default: no limit)</source>
        <translation>ssl_max_protocol_version : la version de TLS la plus récente autorisée (par défaut : aucune limite)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Maximum TLS version</source>
        <translation>Version TLS maximale</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>SSL ne&amp;gotiation:</source>
        <translation>Né&amp;gociation SSL :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>sslnegotiation: how TLS is started (PostgreSQL 17+ servers also accept direct TLS)</source>
        <translation>sslnegotiation : comment TLS est démarré (les serveurs PostgreSQL 17+ acceptent aussi le TLS direct)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SSL negotiation</source>
        <translation>Négociation SSL</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Client certificate mo&amp;de:</source>
        <translation>Mode d&amp;u certificat client :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>sslcertmode: whether a client certificate is sent (PostgreSQL 16+)</source>
        <translation>sslcertmode : si un certificat client est envoyé (PostgreSQL 16+)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Client certificate mode</source>
        <translation>Mode du certificat client</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Channel &amp;binding:</source>
        <translation>Li&amp;aison de canal :</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>channel_binding: ties SCRAM authentication to the TLS session so a man in the middle cannot relay it</source>
        <translation>channel_binding : lie l&apos;authentification SCRAM à la session TLS pour qu&apos;un intermédiaire malveillant (man-in-the-middle) ne puisse pas la relayer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Channel binding</source>
        <translation>Liaison de canal</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>&amp;Advanced</source>
        <translation>A&amp;vancé</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Every other libpq parameter. Leave a value empty to use what libpq would use otherwise (shown on the right).</source>
        <translation>Tous les autres paramètres libpq. Laissez une valeur vide pour utiliser ce que libpq utiliserait autrement (affiché à droite).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Connection st&amp;ring:</source>
        <translation>C&amp;haîne de connexion :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The whole profile as a libpq connection string (passwords left out)</source>
        <translation>Le profil complet sous forme de chaîne de connexion libpq (sans les mots de passe)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The profile as a libpq keyword/value string or postgresql:// URI. Paste one and press Apply to replace the settings.</source>
        <translation>Le profil sous forme de chaîne mot-clé/valeur libpq ou d&apos;URI postgresql://. Collez-en une et cliquez sur Appliquer pour remplacer les paramètres.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connection string</source>
        <translation>Chaîne de connexion</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Appl&amp;y</source>
        <translation>Appl&amp;iquer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replace the profile&apos;s settings with this connection string</source>
        <translation>Remplacer les paramètres du profil par cette chaîne de connexion</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Co&amp;py</source>
        <translation>Co&amp;pier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the connection string (without passwords) to the clipboard</source>
        <translation>Copier la chaîne de connexion (sans les mots de passe) dans le presse-papiers</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Other libpq parameters</source>
        <translation>Autres paramètres libpq</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Pr&amp;otection</source>
        <translation>Pr&amp;otection</translation>
    </message>
</context>
<context>
    <name>ProfileListWidget</name>
    <message>
        <location filename="../ui/profiles/ProfileListWidget.ui" line="+15"/>
        <source>&lt;b&gt;Connection profiles&lt;/b&gt;</source>
        <translation>&lt;b&gt;Profils de connexion&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Filter (Ctrl+F)</source>
        <translation>Filtrer (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter profiles</source>
        <translation>Filtrer les profils</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show only the profiles whose name, host, database, user or sslmode contains this text</source>
        <translation>N&apos;afficher que les profils dont le nom, l&apos;hôte, la base de données, l&apos;utilisateur ou le sslmode contient ce texte</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connection profiles</source>
        <translation>Profils de connexion</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bring the deleted profile back (Ctrl+Z)</source>
        <translation>Restaurer le profil supprimé (Ctrl+Z)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>×</source>
        <translation>×</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide this message</source>
        <translation>Masquer ce message</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New profile, starting at sslmode=verify-full (Ctrl+N)</source>
        <translation>Nouveau profil, démarrant avec sslmode=verify-full (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Duplicate</source>
        <translation>Dupliquer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the selected profile (Ctrl+D)</source>
        <translation>Copier le profil sélectionné (Ctrl+D)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected profile; you can undo it (Delete)</source>
        <translation>Supprimer le profil sélectionné ; vous pouvez annuler (Suppr)</translation>
    </message>
</context>
<context>
    <name>RiskTable</name>
    <message>
        <location filename="../ui/risk/RiskTable.ui" line="+22"/>
        <source>What each sslmode protects against, from libpq&apos;s documentation. The highlighted row is how this profile behaves with the files on this computer.</source>
        <translation>Ce contre quoi protège chaque sslmode, d&apos;après la documentation de libpq. La ligne en surbrillance indique le comportement de ce profil avec les fichiers présents sur cet ordinateur.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode protection table</source>
        <translation>Tableau de protection des sslmode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq&apos;s table: what each sslmode protects against</source>
        <translation>Le tableau de libpq : ce contre quoi protège chaque sslmode</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This profile</source>
        <translation>Ce profil</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>&lt;b&gt;To reach verify-full&lt;/b&gt;</source>
        <translation>&lt;b&gt;Pour atteindre verify-full&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>TestPanel</name>
    <message>
        <location filename="../ui/test/TestPanel.ui" line="+31"/>
        <source>&amp;Test</source>
        <translation>&amp;Tester</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect to the server with these settings, as libpq would, and explain the result</source>
        <translation>Se connecter au serveur avec ces paramètres, comme le ferait libpq, et expliquer le résultat</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop the test now (Esc)</source>
        <translation>Arrêter le test maintenant (Échap)</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>SHA-256 fingerprint</source>
        <translation>Empreinte SHA-256</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Not Now</source>
        <translation>Pas maintenant</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Trust and &amp;Retest</source>
        <translation>Faire confiance et &amp;retester</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save this certificate as the profile&apos;s root certificate file, switch to verify-full and test again</source>
        <translation>Enregistrer ce certificat comme fichier de certificat racine du profil, passer à verify-full et tester à nouveau</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Test result</source>
        <translation>Résultat du test</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Trust This Server&apos;s C&amp;A…</source>
        <translation>&amp;Faire confiance à l&apos;AC de ce serveur…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Compare the fingerprint of the certificate at the top of the server&apos;s chain, then use it as the root certificate</source>
        <translation>Comparer l&apos;empreinte du certificat situé en haut de la chaîne du serveur, puis l&apos;utiliser comme certificat racine</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Show Server C&amp;hain</source>
        <translation>Afficher la c&amp;haîne du serveur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open the certificates the server presented in the chain browser</source>
        <translation>Ouvrir les certificats présentés par le serveur dans le navigateur de certificats</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Co&amp;py Report</source>
        <translation>Co&amp;pier le rapport</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the result as text (no passwords are included)</source>
        <translation>Copier le résultat sous forme de texte (aucun mot de passe n&apos;est inclus)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="+28"/>
        <source>PostgreSQL TLS connection tester</source>
        <translation>Testeur de connexions TLS PostgreSQL</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificate file to open.</source>
        <translation>Fichier de certificat à ouvrir.</translation>
    </message>
</context>
<context>
    <name>vf::auth::ScramClient</name>
    <message>
        <location filename="../core/auth/ScramClient.cpp" line="+52"/>
        <source>The server&apos;s SCRAM authentication messages are not what the protocol requires; this is a server or proxy fault, or someone is interfering.</source>
        <translation>Les messages d&apos;authentification SCRAM du serveur ne sont pas conformes au protocole ; il s&apos;agit d&apos;un défaut du serveur ou d&apos;un proxy, ou quelqu&apos;un interfère.</translation>
    </message>
    <message>
        <location line="+157"/>
        <source>SCRAM iteration count %1 is above the limit of %2</source>
        <translation>le nombre d&apos;itérations SCRAM %1 dépasse la limite de %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server asks for an unreasonable amount of password hashing; libpq would compute it for minutes. Check the server&apos;s scram_iterations.</source>
        <translation>Le serveur demande une quantité de hachage du mot de passe déraisonnable ; libpq la calculerait pendant plusieurs minutes. Vérifiez le paramètre scram_iterations du serveur.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The server rejected the SCRAM exchange.</source>
        <translation>Le serveur a rejeté l&apos;échange SCRAM.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server could not prove it knows your password&apos;s verifier: it is not the server you think, or something between you is interfering.</source>
        <translation>Le serveur n&apos;a pas pu prouver qu&apos;il connaît le vérificateur de votre mot de passe : ce n&apos;est pas le serveur que vous croyez, ou quelque chose entre vous et lui interfère.</translation>
    </message>
</context>
<context>
    <name>vf::cli</name>
    <message>
        <location filename="../app/cli/main.cpp" line="+95"/>
        <source>Try &quot;verifyfull-cli --help&quot; for more information.</source>
        <translation>Essayez « verifyfull-cli --help » pour plus d&apos;informations.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>%1 takes one connection string; quote it (&quot;host=… sslmode=…&quot;)</source>
        <translation>%1 accepte une seule chaîne de connexion ; mettez-la entre guillemets (&quot;host=… sslmode=…&quot;)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>invalid --timeout value &quot;%1&quot;: give a number of seconds</source>
        <translation>valeur de --timeout non valide « %1 » : indiquez un nombre de secondes</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>interrupted: the check was canceled</source>
        <translation>interrompu : la vérification a été annulée</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>the private key &quot;%1&quot; is encrypted and standard input is not a terminal to ask for its passphrase: set sslpassword.</source>
        <translation>la clé privée « %1 » est chiffrée et l&apos;entrée standard n&apos;est pas un terminal permettant de demander sa phrase secrète : définissez sslpassword.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Diagnosis:</source>
        <translation>Diagnostic :</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>chain needs at least one certificate file</source>
        <translation>chain nécessite au moins un fichier de certificat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>give either --root FILE or --system, not both</source>
        <translation>indiquez soit --root FICHIER, soit --system, pas les deux</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>missing command (check, inspect or chain)</source>
        <translation>commande manquante (check, inspect ou chain)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>unknown command &quot;%1&quot; (use check, inspect or chain)</source>
        <translation>commande inconnue « %1 » (utilisez check, inspect ou chain)</translation>
    </message>
    <message>
        <location filename="../app/cli/UsageText.h" line="+11"/>
        <source>verifyfull-cli - test PostgreSQL connections over TLS the way libpq makes them

Usage: verifyfull-cli check [--json] [--timeout SECONDS] [CONNINFO]
  or:  verifyfull-cli inspect [--json] [--timeout SECONDS] [CONNINFO]
  or:  verifyfull-cli chain FILE... [--root FILE | --system] [--crl FILE] [--crldir DIR]
                             [--host NAME] [--json]
  or:  verifyfull-cli --version | --help

Connects to a PostgreSQL server exactly as libpq (psql) would, with the same parameters, defaults,
environment variables and files, shows every phase with its timing, the TLS facts and the
certificate chain the server presented, and when something fails says why in libpq&apos;s words, what
it means and what to change.

Commands:
  check      Connect, negotiate TLS, authenticate and run a short query. Prints the report on
             standard output; on failure libpq&apos;s message (as psql prints it after &quot;psql: error: &quot;)
             and the diagnosis go to standard error.
  inspect    Negotiate TLS only and show the server&apos;s certificate chain and TLS facts; never
             authenticates (no password is sent).
  chain      Load certificates from FILEs (PEM, DER, PKCS#7 or an unencrypted PKCS#12; the leaf is
             the certificate that issued none of the others) and verify them as libpq verifies a
             server&apos;s chain.

CONNINFO is a libpq connection string (&quot;host=db.example.com sslmode=verify-full&quot;) or URI
(&quot;postgresql://user@db.example.com/app?sslmode=verify-full&quot;). Everything libpq reads is honoured:
the PG* environment variables (PGHOST, PGSSLMODE, PGSSLROOTCERT...), the service file
(PGSERVICE, ~/.pg_service.conf), ~/.postgresql/root.crt, root.crl, postgresql.crt,
postgresql.key and the password file (~/.pgpass, PGPASSFILE).

Options:
  --json             Print the whole report as one JSON object on standard output
                     (schema: docs/REPORT-JSON.md). Passwords are never included.
  --timeout SECONDS  Give up on any phase (DNS, connect, TLS handshake, authentication...) that
                     takes longer (default 30). libpq&apos;s connect_timeout, when set, still applies.
  --root FILE        chain: verify against the root certificates in FILE (sslrootcert=FILE).
                     Without --root or --system, libpq&apos;s default ~/.postgresql/root.crt is used
                     if it exists; otherwise the certificates are only shown.
  --system           chain: verify against the system&apos;s trusted roots (sslrootcert=system).
  --crl FILE         chain: check revocation with the CRLs in FILE (sslcrl).
  --crldir DIR       chain: check revocation with a hashed CRL directory (sslcrldir).
  --host NAME        chain: also check that the leaf certificate names NAME, as
                     sslmode=verify-full does.
  -h, --help         Show this help and exit.
  -v, --version      Show the version and exit.

Encrypted client keys:
  When sslpassword is not set and the client key is encrypted, the passphrase is read from the
  terminal without echo. When standard input is not a terminal, the key cannot be unlocked: set
  sslpassword (for example in a service file).

Exit status:
  0  check: connected and authenticated; inspect: TLS handshake succeeded;
     chain: verified (or only shown, without root certificates)
  1  the attempt failed (chain: the chain or the host name did not verify)
  2  invalid usage or input: unknown option, unparsable connection string, invalid option value
     such as sslmode=bogus, unknown service, unreadable certificate file
  130  interrupted: Ctrl-C (or SIGTERM) canceled the check cleanly; a second Ctrl-C quits at once

Examples:
  verifyfull-cli check &quot;host=db.example.com dbname=app user=alice sslmode=verify-full&quot;
  PGSSLMODE=verify-full verifyfull-cli check --json postgresql://alice@db.example.com/app
  verifyfull-cli inspect &quot;host=db.example.com sslmode=require&quot;
  verifyfull-cli chain server.crt intermediate.crt --root root.crt --host db.example.com
</source>
        <translation>verifyfull-cli - teste les connexions PostgreSQL sur TLS comme libpq les établit

Usage : verifyfull-cli check [--json] [--timeout SECONDES] [CONNINFO]
   ou : verifyfull-cli inspect [--json] [--timeout SECONDES] [CONNINFO]
   ou : verifyfull-cli chain FICHIER... [--root FICHIER | --system] [--crl FICHIER] [--crldir RÉP]
                             [--host NOM] [--json]
   ou : verifyfull-cli --version | --help

Se connecte à un serveur PostgreSQL exactement comme le ferait libpq (psql), avec les mêmes paramètres,
valeurs par défaut, variables d&apos;environnement et fichiers, affiche chaque phase avec sa durée, les
informations TLS et la chaîne de certificats présentée par le serveur et, en cas d&apos;échec, explique
pourquoi avec les mots de libpq, ce que cela signifie et ce qu&apos;il faut changer.

Commandes :
  check      Se connecte, négocie TLS, s&apos;authentifie et exécute une courte requête. Affiche le rapport
             sur la sortie standard ; en cas d&apos;échec, le message de libpq (tel que psql l&apos;affiche après
             &quot;psql: error: &quot;) et le diagnostic vont sur la sortie d&apos;erreur standard.
  inspect    Négocie uniquement TLS et affiche la chaîne de certificats du serveur et les informations
             TLS ; ne s&apos;authentifie jamais (aucun mot de passe n&apos;est envoyé).
  chain      Charge les certificats des FICHIERs (PEM, DER, PKCS#7 ou PKCS#12 non chiffré ; la feuille
             est le certificat qui n&apos;a émis aucun des autres) et les vérifie comme libpq vérifie la
             chaîne d&apos;un serveur.

CONNINFO est une chaîne de connexion libpq (&quot;host=db.example.com sslmode=verify-full&quot;) ou une URI
(&quot;postgresql://user@db.example.com/app?sslmode=verify-full&quot;). Tout ce que lit libpq est pris en compte :
les variables d&apos;environnement PG* (PGHOST, PGSSLMODE, PGSSLROOTCERT...), le fichier de services
(PGSERVICE, ~/.pg_service.conf), ~/.postgresql/root.crt, root.crl, postgresql.crt,
postgresql.key et le fichier de mots de passe (~/.pgpass, PGPASSFILE).

Options :
  --json             Affiche tout le rapport sous forme d&apos;un seul objet JSON sur la sortie standard
                     (schéma : docs/REPORT-JSON.md). Les mots de passe ne sont jamais inclus.
  --timeout SECONDES Abandonne toute phase (DNS, connexion, handshake TLS, authentification...) qui
                     dure plus longtemps (30 par défaut). Le connect_timeout de libpq, s&apos;il est défini, s&apos;applique toujours.
  --root FICHIER     chain : vérifie avec les certificats racines de FICHIER (sslrootcert=FICHIER).
                     Sans --root ni --system, le fichier par défaut de libpq ~/.postgresql/root.crt est
                     utilisé s&apos;il existe ; sinon, les certificats sont seulement affichés.
  --system           chain : vérifie avec les racines de confiance du système (sslrootcert=system).
  --crl FICHIER      chain : vérifie la révocation avec les CRL de FICHIER (sslcrl).
  --crldir RÉP       chain : vérifie la révocation avec un répertoire CRL haché (sslcrldir).
  --host NOM         chain : vérifie aussi que le certificat feuille mentionne NOM, comme le fait
                     sslmode=verify-full.
  -h, --help         Affiche cette aide et quitte.
  -v, --version      Affiche la version et quitte.

Clés client chiffrées :
  Si sslpassword n&apos;est pas défini et que la clé client est chiffrée, la phrase secrète est lue depuis le
  terminal sans écho. Si l&apos;entrée standard n&apos;est pas un terminal, la clé ne peut pas être déverrouillée :
  définissez sslpassword (par exemple dans un fichier de services).

Code de sortie :
  0  check : connecté et authentifié ; inspect : handshake TLS réussi ;
     chain : vérifiée (ou seulement affichée, sans certificats racines)
  1  la tentative a échoué (chain : la chaîne ou le nom d&apos;hôte n&apos;a pas pu être vérifié)
  2  usage ou entrée non valide : option inconnue, chaîne de connexion illisible, valeur d&apos;option non
     valide telle que sslmode=bogus, service inconnu, fichier de certificat illisible
  130  interrompu : Ctrl-C (ou SIGTERM) a annulé proprement la vérification ; un second Ctrl-C quitte immédiatement

Exemples :
  verifyfull-cli check &quot;host=db.example.com dbname=app user=alice sslmode=verify-full&quot;
  PGSSLMODE=verify-full verifyfull-cli check --json postgresql://alice@db.example.com/app
  verifyfull-cli inspect &quot;host=db.example.com sslmode=require&quot;
  verifyfull-cli chain server.crt intermediate.crt --root root.crt --host db.example.com
</translation>
    </message>
</context>
<context>
    <name>vf::interop::EnvironmentImport</name>
    <message>
        <location filename="../core/interop/EnvironmentImport.cpp" line="+25"/>
        <source>the current environment</source>
        <translation>l&apos;environnement actuel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>libpq would fail with this environment: %1</source>
        <translation>libpq échouerait avec cet environnement : %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+42"/>
        <source>Environment</source>
        <translation>Environnement</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>%1 is set: libpq also sends it to the server as a session setting; a profile does not carry it (use options=-c … instead).</source>
        <translation>%1 est défini : libpq l&apos;envoie aussi au serveur comme paramètre de session ; un profil ne le conserve pas (utilisez plutôt options=-c …).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No PG* variable is set and there are no ~/.postgresql/ files: the profile would have libpq&apos;s defaults only.</source>
        <translation>Aucune variable PG* n&apos;est définie et il n&apos;y a aucun fichier dans ~/.postgresql/ : le profil n&apos;aurait que les valeurs par défaut de libpq.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PGPASSWORD is set: the profile holds that password.</source>
        <translation>PGPASSWORD est défini : le profil contient ce mot de passe.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Environment: %1</source>
        <translation>Environnement : %1</translation>
    </message>
</context>
<context>
    <name>vf::interop::Exporter</name>
    <message>
        <location filename="../core/interop/Exporter.cpp" line="+50"/>
        <source>keyword/value string</source>
        <translation>chaîne mot-clé/valeur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>URI</source>
        <translation>URI</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pg_service.conf section</source>
        <translation>section pg_service.conf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>.pgpass line</source>
        <translation>ligne .pgpass</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>psql command line</source>
        <translation>ligne de commande psql</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Python (psycopg)</source>
        <translation>Python (psycopg)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Node.js (node-postgres)</source>
        <translation>Node.js (node-postgres)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>JDBC URL</source>
        <translation>URL JDBC</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>the password is not included</source>
        <translation>le mot de passe n&apos;est pas inclus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A password-file line holds the password. Include secrets to write it.</source>
        <translation>Une ligne de fichier de mots de passe contient le mot de passe. Incluez les secrets pour l&apos;écrire.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Not included: %1 (secrets are left out unless you include them).</source>
        <translation>Non inclus : %1 (les secrets sont omis sauf si vous les incluez).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Needs libpq %1 or later for %2; an older libpq refuses unknown keywords (&quot;invalid connection option&quot;) or ignores their environment variables.</source>
        <translation>Nécessite libpq %1 ou ultérieur pour %2 ; une version plus ancienne de libpq refuse les mots-clés inconnus (&quot;invalid connection option&quot;) ou ignore leurs variables d&apos;environnement.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Some values are not valid UTF-8 and are shown with replacement characters here.</source>
        <translation>Certaines valeurs ne sont pas en UTF-8 valide et sont affichées ici avec des caractères de remplacement.</translation>
    </message>
</context>
<context>
    <name>vf::interop::ImportedProfile</name>
    <message>
        <location filename="../core/interop/ImportedProfile.cpp" line="+41"/>
        <source>service %1</source>
        <translation>service %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>local socket</source>
        <translation>socket local</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 on %2</source>
        <translation>%1 sur %2</translation>
    </message>
</context>
<context>
    <name>vf::interop::InteropFiles</name>
    <message>
        <location filename="../core/interop/InteropFiles.cpp" line="+18"/>
        <source>A service file is small text; the limit is %1 MiB. This is probably not the file you meant.</source>
        <translation>Un fichier de services est un petit fichier texte ; la limite est de %1 Mio. Ce n&apos;est probablement pas le fichier voulu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A pgAdmin server export is small JSON; the limit is %1 MiB. This is probably not the file you meant.</source>
        <translation>Un export de serveurs pgAdmin est un petit fichier JSON ; la limite est de %1 Mio. Ce n&apos;est probablement pas le fichier voulu.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the service file (pg_service.conf) itself, not its directory.</source>
        <translation>Choisissez le fichier de services (pg_service.conf) lui-même, pas son répertoire.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the JSON file pgAdmin exported, not its directory.</source>
        <translation>Choisissez le fichier JSON exporté par pgAdmin, pas son répertoire.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only ordinary files are read; a pipe, device or socket was not opened.</source>
        <translation>Seuls les fichiers ordinaires sont lus ; un tube, un périphérique ou un socket n&apos;a pas été ouvert.</translation>
    </message>
</context>
<context>
    <name>vf::interop::JdbcUrlWriter</name>
    <message>
        <location filename="../core/interop/JdbcUrlWriter.cpp" line="+67"/>
        <source>pgJDBC connects over TCP only: the Unix socket %1 is written as localhost.</source>
        <translation>pgJDBC se connecte uniquement en TCP : le socket Unix %1 est écrit sous la forme localhost.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>pgJDBC has no hostaddr: the URL uses the addresses where no host name is given, and the host names otherwise.</source>
        <translation>pgJDBC n&apos;a pas de hostaddr : l&apos;URL utilise les adresses là où aucun nom d&apos;hôte n&apos;est indiqué, et les noms d&apos;hôte sinon.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>pgJDBC 42.3 and later read pg_service.conf themselves (PGSERVICEFILE, ~/.pg_service.conf, then PGSYSCONFDIR); older versions ignore service.</source>
        <translation>pgJDBC 42.3 et ultérieur lit lui-même pg_service.conf (PGSERVICEFILE, ~/.pg_service.conf, puis PGSYSCONFDIR) ; les versions plus anciennes ignorent service.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>sslrootcert=system: pgJDBC has no such value; the URL uses DefaultJavaSSLFactory, which trusts Java&apos;s own CA store.</source>
        <translation>sslrootcert=system : pgJDBC n&apos;a pas de telle valeur ; l&apos;URL utilise DefaultJavaSSLFactory, qui fait confiance au magasin d&apos;AC propre à Java.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>pgJDBC reads the client key only as PKCS#8 DER (.pk8) or PKCS#12: the URL names %1. Convert %2 into it first (the PKCS#8 button does it, or: openssl pkcs8 -topk8 -outform DER -in KEY -out KEY.pk8 -nocrypt), and keep it at mode 0600.</source>
        <translation>pgJDBC ne lit la clé client qu&apos;au format PKCS#8 DER (.pk8) ou PKCS#12 : l&apos;URL mentionne %1. Convertissez d&apos;abord %2 dans ce format (le bouton PKCS#8 le fait, ou : openssl pkcs8 -topk8 -outform DER -in KEY -out KEY.pk8 -nocrypt), et gardez-le en mode 0600.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No sslkey: pgJDBC looks for ~/.postgresql/postgresql.pk8 (not postgresql.key).</source>
        <translation>Pas de sslkey : pgJDBC cherche ~/.postgresql/postgresql.pk8 (et non postgresql.key).</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>target_session_attrs=%1 is written as targetServerType=%2, which checks whether the server is in recovery, not default_transaction_read_only.</source>
        <translation>target_session_attrs=%1 est écrit sous la forme targetServerType=%2, qui vérifie si le serveur est en restauration, et non default_transaction_read_only.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No sslrootcert: pgJDBC, like libpq, reads ~/.postgresql/root.crt.</source>
        <translation>Pas de sslrootcert : pgJDBC, comme libpq, lit ~/.postgresql/root.crt.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Not in the URL (pgJDBC has no such setting, or names it differently by version): %1.</source>
        <translation>Absent de l&apos;URL (pgJDBC n&apos;a pas ce paramètre, ou le nomme différemment selon la version) : %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No password in the URL: pgJDBC 42.3 and later read ~/.pgpass (or PGPASSFILE); with older versions pass it to DriverManager.getConnection().</source>
        <translation>Pas de mot de passe dans l&apos;URL : pgJDBC 42.3 et ultérieur lit ~/.pgpass (ou PGPASSFILE) ; avec les versions plus anciennes, passez-le à DriverManager.getConnection().</translation>
    </message>
</context>
<context>
    <name>vf::interop::NodePostgresWriter</name>
    <message>
        <location filename="../core/interop/NodePostgresWriter.cpp" line="+58"/>
        <source>node-postgres connects to one host: the snippet uses the first (%1); libpq would try each in turn.</source>
        <translation>node-postgres se connecte à un seul hôte : l&apos;extrait utilise le premier (%1) ; libpq essaierait chacun à tour de rôle.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>node-postgres has no hostaddr: it connects to the address %1, and the TLS checks use the name %2 (servername).</source>
        <translation>node-postgres n&apos;a pas de hostaddr : il se connecte à l&apos;adresse %1, et les vérifications TLS utilisent le nom %2 (servername).</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>channel_binding=require: node-postgres uses SCRAM-SHA-256-PLUS when enableChannelBinding is true, but does not refuse a server that offers no channel binding, as libpq does.</source>
        <translation>channel_binding=require : node-postgres utilise SCRAM-SHA-256-PLUS lorsque enableChannelBinding vaut true, mais ne refuse pas un serveur qui ne propose pas de liaison de canal, contrairement à libpq.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>sslmode=allow: libpq tries without TLS first and uses TLS only when the server insists; node-postgres never switches, so this snippet connects without TLS.</source>
        <translation>sslmode=allow : libpq essaie d&apos;abord sans TLS et n&apos;utilise TLS que si le serveur l&apos;exige ; node-postgres ne bascule jamais, donc cet extrait se connecte sans TLS.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sslmode=prefer: node-postgres does not fall back to an unencrypted connection when the server has no TLS; libpq does.</source>
        <translation>sslmode=prefer : node-postgres ne se rabat pas sur une connexion non chiffrée quand le serveur n&apos;a pas TLS ; libpq, si.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sslmode=%1 with a root certificate file: libpq then checks the certificate chain (as verify-ca), and so does this snippet.</source>
        <translation>sslmode=%1 avec un fichier de certificats racines : libpq vérifie alors la chaîne de certificats (comme verify-ca), et cet extrait aussi.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sslmode=%1 does not check the server certificate (rejectUnauthorized: false). If ~/.postgresql/root.crt exists libpq checks the chain anyway; node-postgres does not look there.</source>
        <translation>sslmode=%1 ne vérifie pas le certificat du serveur (rejectUnauthorized: false). Si ~/.postgresql/root.crt existe, libpq vérifie quand même la chaîne ; node-postgres ne regarde pas à cet endroit.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>verify-ca has no direct equivalent in node-postgres: the snippet checks the chain (rejectUnauthorized: true) and skips the host-name check with a checkServerIdentity that accepts every name.</source>
        <translation>verify-ca n&apos;a pas d&apos;équivalent direct dans node-postgres : l&apos;extrait vérifie la chaîne (rejectUnauthorized: true) et ignore la vérification du nom d&apos;hôte avec un checkServerIdentity qui accepte tous les noms.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslmode=%1 is not a value libpq accepts; the snippet does not check the server.</source>
        <translation>sslmode=%1 n&apos;est pas une valeur acceptée par libpq ; l&apos;extrait ne vérifie pas le serveur.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>sslrootcert=system: node uses its own list of trusted CAs, not the operating system&apos;s (start node with --use-openssl-ca to use OpenSSL&apos;s).</source>
        <translation>sslrootcert=system : node utilise sa propre liste d&apos;AC de confiance, pas celle du système d&apos;exploitation (lancez node avec --use-openssl-ca pour utiliser celle d&apos;OpenSSL).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No sslrootcert: libpq reads ~/.postgresql/root.crt, and so does this snippet.</source>
        <translation>Pas de sslrootcert : libpq lit ~/.postgresql/root.crt, et cet extrait aussi.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>libpq sends ~/.postgresql/postgresql.crt and postgresql.key when they exist; node-postgres sends a client certificate only when cert and key are given.</source>
        <translation>libpq envoie ~/.postgresql/postgresql.crt et postgresql.key lorsqu&apos;ils existent ; node-postgres n&apos;envoie un certificat client que si cert et key sont indiqués.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>node-postgres does not read pg_service.conf: the service&apos;s settings are not in this snippet. Export the settings themselves instead.</source>
        <translation>node-postgres ne lit pas pg_service.conf : les paramètres du service ne figurent pas dans cet extrait. Exportez plutôt les paramètres eux-mêmes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not used by node-postgres, left out: %1.</source>
        <translation>Non utilisé par node-postgres, omis : %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Without a password node-postgres reads ~/.pgpass (or PGPASSWORD), like libpq.</source>
        <translation>Sans mot de passe, node-postgres lit ~/.pgpass (ou PGPASSWORD), comme libpq.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PastedText</name>
    <message>
        <location filename="../core/interop/PastedText.cpp" line="+30"/>
        <source>keyword/value string</source>
        <translation>chaîne mot-clé/valeur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>URI</source>
        <translation>URI</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>the pasted text is too long (%n characters)</source>
        <translation>
            <numerusform>le texte collé est trop long (%n caractère)</numerusform>
            <numerusform>le texte collé est trop long (%n caractères)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A connection string is a line or two. Paste only the connection string.</source>
        <translation>Une chaîne de connexion tient sur une ou deux lignes. Collez uniquement la chaîne de connexion.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>nothing to import</source>
        <translation>rien à importer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paste a keyword/value string such as host=db.example.com dbname=app, or a URI such as postgresql://alice@db.example.com/app.</source>
        <translation>Collez une chaîne mot-clé/valeur telle que host=db.example.com dbname=app, ou une URI telle que postgresql://alice@db.example.com/app.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This is a JDBC URL. libpq does not read those: remove the &quot;jdbc:&quot; prefix and check the parameters (JDBC names such as ApplicationName or sslfactory are not libpq keywords).</source>
        <translation>Ceci est une URL JDBC. libpq ne les lit pas : supprimez le préfixe &quot;jdbc:&quot; et vérifiez les paramètres (les noms JDBC tels que ApplicationName ou sslfactory ne sont pas des mots-clés libpq).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq recognises a URI only by the lower-case prefix &quot;postgresql://&quot; or &quot;postgres://&quot;. Write the scheme in lower case.</source>
        <translation>libpq ne reconnaît une URI qu&apos;à son préfixe en minuscules &quot;postgresql://&quot; ou &quot;postgres://&quot;. Écrivez le schéma en minuscules.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This looks like a psql command line. Paste only its connection string: the quoted keyword/value string or the URI.</source>
        <translation>Ceci ressemble à une ligne de commande psql. Collez uniquement sa chaîne de connexion : la chaîne mot-clé/valeur entre guillemets ou l&apos;URI.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>pasted URI</source>
        <translation>URI collée</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>pasted keyword/value string</source>
        <translation>chaîne mot-clé/valeur collée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The pasted text contains a password or another secret.</source>
        <translation>Le texte collé contient un mot de passe ou un autre secret.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PgAdminImport</name>
    <message>
        <location filename="../core/interop/PgAdminImport.cpp" line="+95"/>
        <location line="+271"/>
        <location line="+1"/>
        <source>pgAdmin server %1</source>
        <translation>serveur pgAdmin %1</translation>
    </message>
    <message>
        <location line="-260"/>
        <source>The server has no name in the file.</source>
        <translation>Le serveur n&apos;a pas de nom dans le fichier.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&quot;ConnectionParameters&quot; must be an object, not %1</source>
        <translation>&quot;ConnectionParameters&quot; doit être un objet, pas %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ignored &quot;%1&quot; in ConnectionParameters: libpq has no such keyword.</source>
        <translation>« %1 » ignoré dans ConnectionParameters : libpq n&apos;a pas ce mot-clé.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 is given twice, at the top level and in ConnectionParameters, with different values; the ConnectionParameters value is used.</source>
        <translation>%1 est indiqué deux fois, au niveau supérieur et dans ConnectionParameters, avec des valeurs différentes ; la valeur de ConnectionParameters est utilisée.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No host, address or service is given: libpq connects to the local Unix socket.</source>
        <translation>Aucun hôte, aucune adresse ni aucun service n&apos;est indiqué : libpq se connecte au socket Unix local.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file holds a password or another secret for this server.</source>
        <translation>Le fichier contient un mot de passe ou un autre secret pour ce serveur.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>server &quot;%1&quot;: %2</source>
        <translation>serveur « %1 » : %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+194"/>
        <source>This server&apos;s entry does not have the form pgAdmin writes; it was not imported. The other servers are not affected.</source>
        <translation>L&apos;entrée de ce serveur n&apos;a pas la forme qu&apos;écrit pgAdmin ; elle n&apos;a pas été importée. Les autres serveurs ne sont pas concernés.</translation>
    </message>
    <message>
        <location line="-182"/>
        <source>&quot;%1&quot; must be a string, not %2</source>
        <translation>« %1 » doit être une chaîne, pas %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+30"/>
        <source>&quot;%1&quot; is too long</source>
        <translation>« %1 » est trop long</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; contains a NUL character, which no libpq setting can hold</source>
        <translation>« %1 » contient un caractère NUL, qu&apos;aucun paramètre libpq ne peut contenir</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&quot;%1&quot; must be a port number, not %2</source>
        <translation>« %1 » doit être un numéro de port, pas %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; must be a string or a number, not %2</source>
        <translation>« %1 » doit être une chaîne ou un nombre, pas %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; cannot be stored</source>
        <translation>« %1 » ne peut pas être enregistré</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 contains pgAdmin&apos;s %2 placeholder (pgAdmin server mode): replace it with the real directory.</source>
        <translation>%1 contient l&apos;espace réservé %2 de pgAdmin (mode serveur de pgAdmin) : remplacez-le par le véritable répertoire.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>pgAdmin reaches this server through an SSH tunnel (%1); libpq does not. Open the tunnel yourself (ssh -L) and point host and port at its local end.</source>
        <translation>pgAdmin atteint ce serveur par un tunnel SSH (%1) ; libpq non. Ouvrez vous-même le tunnel (ssh -L) et faites pointer host et port vers son extrémité locale.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no tunnel host given</source>
        <translation>aucun hôte de tunnel indiqué</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pgAdmin switches to role &quot;%1&quot; after connecting (SET ROLE); libpq has no such setting.</source>
        <translation>pgAdmin passe au rôle « %1 » après la connexion (SET ROLE) ; libpq n&apos;a pas de tel paramètre.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>pgAdmin uses Kerberos for this server; libpq uses it when the server asks for GSSAPI (see gssencmode and krbsrvname).</source>
        <translation>pgAdmin utilise Kerberos pour ce serveur ; libpq l&apos;utilise lorsque le serveur demande GSSAPI (voir gssencmode et krbsrvname).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>pgAdmin gets the password by running a command; libpq runs no commands. Keep the password in ~/.pgpass or in the keychain.</source>
        <translation>pgAdmin obtient le mot de passe en exécutant une commande ; libpq n&apos;exécute aucune commande. Conservez le mot de passe dans ~/.pgpass ou dans le trousseau.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>pgAdmin runs SQL after connecting; that is not part of a libpq profile.</source>
        <translation>pgAdmin exécute du SQL après la connexion ; cela ne fait pas partie d&apos;un profil libpq.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the pgAdmin export is too large (%1 bytes)</source>
        <translation>l&apos;export pgAdmin est trop volumineux (%1 octets)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A pgAdmin server export is small JSON; the limit is %1 MiB.</source>
        <translation>Un export de serveurs pgAdmin est un petit fichier JSON ; la limite est de %1 Mio.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file is empty</source>
        <translation>le fichier est vide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the servers again from pgAdmin (Tools → Import/Export Servers) and choose the JSON file it writes.</source>
        <translation>Exportez à nouveau les serveurs depuis pgAdmin (Tools → Import/Export Servers) et choisissez le fichier JSON qu&apos;il écrit.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not valid JSON: %1 at byte %2</source>
        <translation>JSON non valide : %1 à l&apos;octet %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pgAdmin writes its server export as JSON. This file is not JSON, or it was cut off or edited by hand.</source>
        <translation>pgAdmin écrit son export de serveurs en JSON. Ce fichier n&apos;est pas du JSON, ou il a été tronqué ou modifié à la main.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A pgAdmin 4 server export is a JSON object with a &quot;Servers&quot; object that maps ids to servers: {&quot;Servers&quot;: {&quot;1&quot;: {&quot;Name&quot;: …, &quot;Host&quot;: …}}}.</source>
        <translation>Un export de serveurs pgAdmin 4 est un objet JSON contenant un objet &quot;Servers&quot; qui associe des identifiants à des serveurs : {&quot;Servers&quot;: {&quot;1&quot;: {&quot;Name&quot;: …, &quot;Host&quot;: …}}}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+7"/>
        <source>the file is not a pgAdmin server export (no &quot;Servers&quot; object)</source>
        <translation>le fichier n&apos;est pas un export de serveurs pgAdmin (pas d&apos;objet &quot;Servers&quot;)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;Servers&quot; must be an object, not %1</source>
        <translation>&quot;Servers&quot; doit être un objet, pas %1</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>the file lists %n servers</source>
        <translation>
            <numerusform>le fichier contient %n serveur</numerusform>
            <numerusform>le fichier contient %n serveurs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>At most %n servers are imported from one file.</source>
        <translation>
            <numerusform>%n serveur au maximum est importé depuis un même fichier.</numerusform>
            <numerusform>%n serveurs au maximum sont importés depuis un même fichier.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+27"/>
        <source>server &quot;%1&quot;: must be an object, not %2</source>
        <translation>serveur « %1 » : doit être un objet, pas %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The file lists no servers.</source>
        <translation>Le fichier ne contient aucun serveur.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PgPassWriter</name>
    <message>
        <location filename="../core/interop/PgPassWriter.cpp" line="+86"/>
        <source>libpq uses a password file only when it is a plain file that neither the group nor others can read or write: chmod 0600 ~/.pgpass. Otherwise it prints &quot;WARNING: password file … has group or world access; permissions should be u=rw (0600) or less&quot; and ignores the file.</source>
        <translation>libpq n&apos;utilise un fichier de mots de passe que s&apos;il s&apos;agit d&apos;un fichier ordinaire que ni le groupe ni les autres ne peuvent lire ou écrire : chmod 0600 ~/.pgpass. Sinon, il affiche &quot;WARNING: password file … has group or world access; permissions should be u=rw (0600) or less&quot; et ignore le fichier.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>there is no password to write</source>
        <translation>il n&apos;y a aucun mot de passe à écrire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A password-file line holds the password. Enter the profile&apos;s password and include secrets to export it.</source>
        <translation>Une ligne de fichier de mots de passe contient le mot de passe. Saisissez le mot de passe du profil et incluez les secrets pour l&apos;exporter.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>a password-file line cannot hold a line break</source>
        <translation>une ligne de fichier de mots de passe ne peut pas contenir de saut de ligne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host, port, database, user name or password contains a line break, which libpq&apos;s password file cannot represent.</source>
        <translation>L&apos;hôte, le port, la base de données, le nom d&apos;utilisateur ou le mot de passe contient un saut de ligne, que le fichier de mots de passe de libpq ne peut pas représenter.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The profile sets no host: the line matches any host (&quot;*&quot;).</source>
        <translation>Le profil ne définit pas d&apos;hôte : la ligne correspond à n&apos;importe quel hôte (&quot;*&quot;).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The profile sets no port: the line matches any port (&quot;*&quot;).</source>
        <translation>Le profil ne définit pas de port : la ligne correspond à n&apos;importe quel port (&quot;*&quot;).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The profile sets no database: the line matches any database (&quot;*&quot;).</source>
        <translation>Le profil ne définit pas de base de données : la ligne correspond à n&apos;importe quelle base de données (&quot;*&quot;).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The profile sets no user: the line matches any user name (&quot;*&quot;).</source>
        <translation>Le profil ne définit pas d&apos;utilisateur : la ligne correspond à n&apos;importe quel nom d&apos;utilisateur (&quot;*&quot;).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq uses the first line that matches, so put specific lines before lines with &quot;*&quot;.</source>
        <translation>libpq utilise la première ligne qui correspond : placez donc les lignes spécifiques avant les lignes contenant &quot;*&quot;.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>could not write password file &quot;%1&quot;: %2</source>
        <translation>impossible d&apos;écrire le fichier de mots de passe « %1 » : %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the directory exists and that you may write to the file.</source>
        <translation>Vérifiez que le répertoire existe et que vous pouvez écrire dans le fichier.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+17"/>
        <source>&quot;%1&quot; is not a regular file</source>
        <translation>« %1 » n&apos;est pas un fichier ordinaire</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+17"/>
        <source>libpq reads a password file only when it is a plain file.</source>
        <translation>libpq ne lit un fichier de mots de passe que s&apos;il s&apos;agit d&apos;un fichier ordinaire.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>password file &quot;%1&quot; is too large</source>
        <translation>le fichier de mots de passe « %1 » est trop volumineux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file is larger than %1 MiB; it was not changed.</source>
        <translation>Le fichier dépasse %1 Mio ; il n&apos;a pas été modifié.</translation>
    </message>
</context>
<context>
    <name>vf::interop::Pkcs8Converter</name>
    <message>
        <location filename="../core/interop/Pkcs8Converter.cpp" line="+38"/>
        <source>no private key to convert</source>
        <translation>aucune clé privée à convertir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file holds no private key.</source>
        <translation>Le fichier ne contient aucune clé privée.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>could not write the key as PKCS#8</source>
        <translation>impossible d&apos;écrire la clé au format PKCS#8</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL could not encode this key as PKCS#8.</source>
        <translation>OpenSSL n&apos;a pas pu encoder cette clé au format PKCS#8.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the converted key would replace its source</source>
        <translation>la clé convertie remplacerait sa source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose another file name for the PKCS#8 key (for example %1).</source>
        <translation>Choisissez un autre nom de fichier pour la clé PKCS#8 (par exemple %1).</translation>
    </message>
</context>
<context>
    <name>vf::interop::PrivateFile</name>
    <message>
        <location filename="../core/interop/PrivateFile.cpp" line="+23"/>
        <source>could not write &quot;%1&quot;: %2</source>
        <translation>impossible d&apos;écrire « %1 » : %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the folder exists and that you may write to it.</source>
        <translation>Vérifiez que le dossier existe et que vous pouvez y écrire.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; is a directory, not a file</source>
        <translation>« %1 » est un répertoire, pas un fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a file name inside the folder.</source>
        <translation>Choisissez un nom de fichier à l&apos;intérieur du dossier.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PsqlCommandWriter</name>
    <message>
        <location filename="../core/interop/PsqlCommandWriter.cpp" line="+34"/>
        <source>The password is in PGPASSWORD: it stays in your shell history and is visible to programs that can read this process&apos;s environment. A ~/.pgpass line is safer.</source>
        <translation>Le mot de passe est dans PGPASSWORD : il reste dans l&apos;historique de votre shell et est visible par les programmes qui peuvent lire l&apos;environnement de ce processus. Une ligne ~/.pgpass est plus sûre.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Written for sh, bash and zsh. Add psql&apos;s own options (-c, -f…) at the end.</source>
        <translation>Écrit pour sh, bash et zsh. Ajoutez les options propres à psql (-c, -f…) à la fin.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PsycopgWriter</name>
    <message>
        <location filename="../core/interop/PsycopgWriter.cpp" line="+28"/>
        <source>Some values are not valid UTF-8; Python strings cannot carry those bytes. Use the URI (percent-encoded) instead.</source>
        <translation>Certaines valeurs ne sont pas en UTF-8 valide ; les chaînes Python ne peuvent pas contenir ces octets. Utilisez plutôt l&apos;URI (encodage pourcent).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>psycopg passes these settings to libpq unchanged: the libpq version psycopg uses decides which keywords it knows (psycopg.pq.version()).</source>
        <translation>psycopg transmet ces paramètres à libpq sans les modifier : la version de libpq qu&apos;utilise psycopg détermine les mots-clés qu&apos;elle connaît (psycopg.pq.version()).</translation>
    </message>
</context>
<context>
    <name>vf::interop::ServiceFileImport</name>
    <message numerus="yes">
        <location filename="../core/interop/ServiceFileImport.cpp" line="+87"/>
        <source>the service file has %n sections</source>
        <translation>
            <numerusform>le fichier de services contient %n section</numerusform>
            <numerusform>le fichier de services contient %n sections</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Only the first %n sections are listed.</source>
        <translation>
            <numerusform>Seule %n section, la première, est listée.</numerusform>
            <numerusform>Seules les %n premières sections sont listées.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>service file %1 [%2]</source>
        <translation>fichier de services %1 [%2]</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>libpq cannot look this section up by its name (the name is not valid UTF-8, or the file changed while it was read).</source>
        <translation>libpq ne peut pas retrouver cette section par son nom (le nom n&apos;est pas en UTF-8 valide, ou le fichier a changé pendant sa lecture).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The section is empty: a profile from it has only libpq&apos;s defaults.</source>
        <translation>La section est vide : un profil créé à partir d&apos;elle n&apos;a que les valeurs par défaut de libpq.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The section holds a password or another secret.</source>
        <translation>La section contient un mot de passe ou un autre secret.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>PGSERVICEFILE</source>
        <translation>PGSERVICEFILE</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the user&apos;s service file</source>
        <translation>le fichier de services de l&apos;utilisateur</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no home directory</source>
        <translation>pas de répertoire personnel</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>PGSYSCONFDIR</source>
        <translation>PGSYSCONFDIR</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the system service file</source>
        <translation>le fichier de services du système</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The profile names the service only: libpq reads its settings from the service file each time, so changes to the file apply. It searches PGSERVICEFILE or ~/.pg_service.conf, then the system pg_service.conf.</source>
        <translation>Le profil ne mentionne que le service : libpq lit ses paramètres dans le fichier de services à chaque fois, donc les modifications du fichier s&apos;appliquent. Il cherche dans PGSERVICEFILE ou ~/.pg_service.conf, puis dans le pg_service.conf du système.</translation>
    </message>
</context>
<context>
    <name>vf::interop::ServiceSectionWriter</name>
    <message>
        <location filename="../core/interop/ServiceSectionWriter.cpp" line="+27"/>
        <source>The name is empty.</source>
        <translation>Le nom est vide.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name contains &quot;]&quot;, which ends a section header.</source>
        <translation>Le nom contient &quot;]&quot;, qui termine un en-tête de section.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name contains a line break.</source>
        <translation>Le nom contient un saut de ligne.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name starts or ends with white space.</source>
        <translation>Le nom commence ou se termine par une espace.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name is too long for libpq&apos;s line buffer.</source>
        <translation>Le nom est trop long pour le tampon de ligne de libpq.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;%1&quot; cannot be a service name</source>
        <translation>« %1 » ne peut pas être un nom de service</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 is left out: a service section cannot name another service or service file.</source>
        <translation>%1 est omis : une section de service ne peut pas mentionner un autre service ou fichier de services.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A service file has no quoting, so a value with a line break cannot be written. Use the keyword/value string or the URI for this profile instead.</source>
        <translation>Un fichier de services ne connaît pas les guillemets : une valeur contenant un saut de ligne ne peut donc pas être écrite. Utilisez plutôt la chaîne mot-clé/valeur ou l&apos;URI pour ce profil.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq trims white space from both ends of a service-file line, so this value would be read back without it. Use the keyword/value string or the URI for this profile instead.</source>
        <translation>libpq supprime les espaces aux deux extrémités d&apos;une ligne de fichier de services : cette valeur serait donc relue sans eux. Utilisez plutôt la chaîne mot-clé/valeur ou l&apos;URI pour ce profil.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq reads service files with a 1024-byte line buffer, and this line would be longer. Use the keyword/value string or the URI for this profile instead.</source>
        <translation>libpq lit les fichiers de services avec un tampon de ligne de 1024 octets, et cette ligne serait plus longue. Utilisez plutôt la chaîne mot-clé/valeur ou l&apos;URI pour ce profil.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the value of %1 cannot be written in a service file</source>
        <translation>la valeur de %1 ne peut pas être écrite dans un fichier de services</translation>
    </message>
</context>
<context>
    <name>vf::pki::ChainVerifier</name>
    <message>
        <location filename="../core/pki/ChainVerifier.cpp" line="+172"/>
        <source>the certificate</source>
        <extracomment>Stands for a certificate whose name is unknown. It fills %1 of the chain explanations: at the start of a sentence (&quot;%1 has expired.&quot;), after &quot;of&quot; (&quot;The issuer of %1 …&quot;) and after &quot;certificate&quot; (&quot;The server&apos;s certificate %1 is self-signed …&quot;). Choose a form that fits all of them.</extracomment>
        <translation>le certificat</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The issuer of %1 is neither among the certificates the server sent nor in the trusted root certificates. Either sslrootcert holds a different CA than the one that issued the server&apos;s certificate, or the server does not send its intermediate certificate (add it to the server&apos;s ssl_cert_file after the server certificate, or to your root file).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>L&apos;émetteur de %1 ne figure ni parmi les certificats envoyés par le serveur ni parmi les certificats racines de confiance. Soit sslrootcert contient une autre AC que celle qui a émis le certificat du serveur, soit le serveur n&apos;envoie pas son certificat intermédiaire (ajoutez-le au ssl_cert_file du serveur après le certificat du serveur, ou à votre fichier racine).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The issuer of %1 was not found. libpq needs the self-signed root certificate in sslrootcert: an intermediate CA alone is not accepted as a trust anchor.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>L&apos;émetteur de %1 est introuvable. libpq a besoin du certificat racine autosigné dans sslrootcert : une AC intermédiaire seule n&apos;est pas acceptée comme ancre de confiance.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s certificate %1 is self-signed and is not among your trusted root certificates. If you trust it, put it into the file sslrootcert names.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>Le certificat du serveur %1 est autosigné et ne figure pas parmi vos certificats racines de confiance. Si vous lui faites confiance, placez-le dans le fichier que désigne sslrootcert.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The chain ends in the root certificate %1, which is not among your trusted root certificates: sslrootcert holds a different CA.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>La chaîne se termine par le certificat racine %1, qui ne figure pas parmi vos certificats racines de confiance : sslrootcert contient une autre AC.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 has expired. It has to be renewed (or the computer&apos;s clock is wrong).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 a expiré. Il doit être renouvelé (ou l&apos;horloge de l&apos;ordinateur est incorrecte).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is not valid yet. Check the computer&apos;s clock, or wait until it becomes valid.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 n&apos;est pas encore valide. Vérifiez l&apos;horloge de l&apos;ordinateur, ou attendez qu&apos;il devienne valide.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 has been revoked by its CA (it is listed in the certificate revocation list).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 a été révoqué par son AC (il figure dans la liste de révocation de certificats).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CRL checking is on because sslcrl/sslcrldir loaded, and then OpenSSL needs a CRL from the CA of every certificate in the chain; there is none for the issuer of %1. Add that CA&apos;s CRL to the file or directory.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>La vérification des CRL est activée parce que sslcrl/sslcrldir a été chargé, et OpenSSL a alors besoin d&apos;une CRL de l&apos;AC de chaque certificat de la chaîne ; il n&apos;y en a aucune pour l&apos;émetteur de %1. Ajoutez la CRL de cette AC au fichier ou au répertoire.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 may not be used for this purpose: its extended key usage (or Netscape certificate type) does not allow it. A server certificate needs serverAuth, a client certificate clientAuth.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 ne peut pas être utilisé à cette fin : son usage étendu de la clé (ou son type de certificat Netscape) ne l&apos;autorise pas. Un certificat de serveur nécessite serverAuth, un certificat client clientAuth.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is used as a CA but is not allowed to sign certificates (basicConstraints CA:TRUE and keyUsage keyCertSign are required).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 est utilisé comme AC mais n&apos;a pas le droit de signer des certificats (basicConstraints CA:TRUE et keyUsage keyCertSign sont requis).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The chain is longer than the path length constraint of a CA allows.</source>
        <translation>La chaîne est plus longue que ne l&apos;autorise la contrainte de longueur de chemin d&apos;une AC.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signature of %1 does not verify with its issuer&apos;s key: the certificate was altered or was not issued by that CA.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>La signature de %1 ne se vérifie pas avec la clé de son émetteur : le certificat a été modifié ou n&apos;a pas été émis par cette AC.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 uses a key or signature algorithm too weak for OpenSSL&apos;s security level on this system; it has to be reissued with a stronger key (RSA 2048 or more, SHA-256).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 utilise une clé ou un algorithme de signature trop faible pour le niveau de sécurité d&apos;OpenSSL sur ce système ; il doit être réémis avec une clé plus robuste (RSA 2048 bits ou plus, SHA-256).</translation>
    </message>
    <message>
        <location line="+150"/>
        <source>no certificate to verify</source>
        <translation>aucun certificat à vérifier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The peer presented no certificate.</source>
        <translation>Le pair n&apos;a présenté aucun certificat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a presented certificate is empty</source>
        <translation>un certificat présenté est vide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One of the certificates to verify could not be read.</source>
        <translation>L&apos;un des certificats à vérifier n&apos;a pas pu être lu.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>OpenSSL could not use the system&apos;s trusted roots.</source>
        <translation>OpenSSL n&apos;a pas pu utiliser les racines de confiance du système.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslrootcert names a file that does not exist (or cannot be reached).</source>
        <translation>sslrootcert désigne un fichier qui n&apos;existe pas (ou qui est inaccessible).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The root certificate file must be a readable PEM file with one or more CA certificates.</source>
        <translation>Le fichier de certificats racines doit être un fichier PEM lisible contenant un ou plusieurs certificats d&apos;AC.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The CRL file &quot;%1&quot; could not be loaded (%2); libpq then checks no revocation at all.</source>
        <translation>Le fichier CRL « %1 » n&apos;a pas pu être chargé (%2) ; libpq ne vérifie alors aucune révocation.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The CRL file &quot;%1&quot; could not be loaded (%2); libpq then checks no revocation at all, and ignores the CRL directory &quot;%3&quot; too.</source>
        <translation>Le fichier CRL « %1 » n&apos;a pas pu être chargé (%2) ; libpq ne vérifie alors aucune révocation, et ignore aussi le répertoire CRL « %3 ».</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>With sslrootcert=system libpq loads no CRL.</source>
        <translation>Avec sslrootcert=system, libpq ne charge aucune CRL.</translation>
    </message>
    <message>
        <location line="+201"/>
        <source>The certificate chain is valid and leads to a trusted root certificate.</source>
        <translation>La chaîne de certificats est valide et mène à un certificat racine de confiance.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Also: %1</source>
        <translation>Également : %1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Warning: &quot;%1&quot; expires in %n day(s) (%2).</source>
        <translation>
            <numerusform>Avertissement : « %1 » expire dans %n jour (%2).</numerusform>
            <numerusform>Avertissement : « %1 » expire dans %n jours (%2).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::pki::HostNameMatcher</name>
    <message>
        <location filename="../core/pki/HostNameMatcher.cpp" line="+142"/>
        <source>%1 and %2</source>
        <translation>%1 et %2</translation>
    </message>
    <message>
        <location line="+187"/>
        <source>The certificate holds no DNS name, IP address or common name</source>
        <translation>Le certificat ne contient aucun nom DNS, aucune adresse IP ni aucun nom commun</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate names %1</source>
        <translation>Le certificat mentionne %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1; the host name %2 matches %3.</source>
        <translation>%1 ; le nom d&apos;hôte %2 correspond à %3.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1; the host name %2 matches %3 (its common name).</source>
        <translation>%1 ; le nom d&apos;hôte %2 correspond à %3 (son nom commun).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1; the host name %2 matches %3 (an IP address entry).</source>
        <translation>%1 ; le nom d&apos;hôte %2 correspond à %3 (une entrée d&apos;adresse IP).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1; the host name %2 matches %3 (a DNS name entry).</source>
        <translation>%1 ; le nom d&apos;hôte %2 correspond à %3 (une entrée de nom DNS).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode=verify-full compares the server&apos;s host name with its certificate, but no host name was given (for example only hostaddr is set). Set host to the name the certificate was issued for.</source>
        <translation>sslmode=verify-full compare le nom d&apos;hôte du serveur avec son certificat, mais aucun nom d&apos;hôte n&apos;a été indiqué (par exemple, seul hostaddr est défini). Définissez host avec le nom pour lequel le certificat a été émis.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate contains a name with a NUL byte (%1), the pattern of a known attack (CVE-2009-4034), so libpq refuses the certificate. It has to be replaced.</source>
        <translation>Le certificat contient un nom avec un octet NUL (%1), signature d&apos;une attaque connue (CVE-2009-4034) : libpq refuse donc le certificat. Il doit être remplacé.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The certificate contains an IP address entry of %1 bytes; only 4 (IPv4) and 16 (IPv6) are valid, so libpq refuses the certificate. It has to be reissued.</source>
        <translation>Le certificat contient une entrée d&apos;adresse IP de %1 octets ; seules les longueurs 4 (IPv4) et 16 (IPv6) sont valides : libpq refuse donc le certificat. Il doit être réémis.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The wildcard %1 stands for exactly one label, so it does not cover %2.</source>
        <translation>Le caractère générique %1 remplace exactement un label : il ne couvre donc pas %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The wildcard %1 does not cover %2 itself, only names one label below it.</source>
        <translation>Le caractère générique %1 ne couvre pas %2 lui-même, seulement les noms situés un label en dessous.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>libpq compares names literally and does not drop a trailing dot: connect to %1 instead.</source>
        <translation>libpq compare les noms littéralement et ne supprime pas un point final : connectez-vous plutôt à %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The common name %1 would match, but libpq ignores the common name when the certificate has IP address entries (subjectAltName).</source>
        <translation>Le nom commun %1 correspondrait, mais libpq ignore le nom commun lorsque le certificat contient des entrées d&apos;adresse IP (subjectAltName).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The common name %1 would match, but libpq ignores the common name when the certificate has DNS name entries (subjectAltName).</source>
        <translation>Le nom commun %1 correspondrait, mais libpq ignore le nom commun lorsque le certificat contient des entrées de nom DNS (subjectAltName).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The DNS name entry %1 holds an IP address; libpq compares it as text, so the address must be written exactly the same way.</source>
        <translation>L&apos;entrée de nom DNS %1 contient une adresse IP ; libpq la compare en tant que texte : l&apos;adresse doit donc être écrite exactement de la même façon.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You connected by name, but the certificate lists IP addresses for its subjectAltName; connect by one of those addresses or add the name to the certificate.</source>
        <translation>Vous vous êtes connecté par nom, mais le certificat liste des adresses IP dans son subjectAltName ; connectez-vous avec l&apos;une de ces adresses ou ajoutez le nom au certificat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You connected by IP address, but the certificate lists only DNS names; connect by one of those names or add the address to the certificate (IP:%1).</source>
        <translation>Vous vous êtes connecté par adresse IP, mais le certificat ne liste que des noms DNS ; connectez-vous avec l&apos;un de ces noms ou ajoutez l&apos;adresse au certificat (IP:%1).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1; you connected to %2.</source>
        <translation>%1 ; vous vous êtes connecté à %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect with a name the certificate holds, or have the certificate reissued with a subjectAltName for %1.</source>
        <translation>Connectez-vous avec un nom que contient le certificat, ou faites réémettre le certificat avec un subjectAltName pour %1.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(not compared)</source>
        <translation>(non comparé)</translation>
    </message>
</context>
<context>
    <name>vf::pki::KeyPermissions</name>
    <message>
        <location filename="../core/pki/KeyPermissions.cpp" line="+35"/>
        <source>No private key file path was given.</source>
        <translation>Aucun chemin de fichier de clé privée n&apos;a été indiqué.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file does not exist. Check the path of the private key (sslkey), or remove the client certificate setting if you do not want to use a client certificate.</source>
        <translation>Le fichier n&apos;existe pas. Vérifiez le chemin de la clé privée (sslkey), ou supprimez le paramètre de certificat client si vous ne voulez pas utiliser de certificat client.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A part of the path that should be a directory is a file.</source>
        <translation>Une partie du chemin qui devrait être un répertoire est un fichier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The path runs into a loop of symbolic links.</source>
        <translation>Le chemin aboutit à une boucle de liens symboliques.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A directory on the way to the file cannot be searched by this user.</source>
        <translation>Un répertoire menant au fichier ne peut pas être parcouru par cet utilisateur.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The path is too long.</source>
        <translation>Le chemin est trop long.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The operating system could not report on the file.</source>
        <translation>Le système d&apos;exploitation n&apos;a pas pu fournir d&apos;informations sur le fichier.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>owned by root, so it may allow its owner read and write and its group read (0640), nothing more</source>
        <translation>appartient à root : il peut donc autoriser la lecture et l&apos;écriture à son propriétaire et la lecture à son groupe (0640), rien de plus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>owned by user id %1, so only its owner may read or write it (0600)</source>
        <translation>appartient à l&apos;utilisateur d&apos;uid %1 : seul son propriétaire peut donc le lire ou l&apos;écrire (0600)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has permissions %1 and is %2. Run: chmod %3 &quot;%4&quot;</source>
        <translation>Le fichier a les permissions %1 et %2. Exécutez : chmod %3 &quot;%4&quot;</translation>
    </message>
    <message>
        <location line="+83"/>
        <location line="+19"/>
        <source>The path names a directory or a special file, not a key file.</source>
        <translation>Le chemin désigne un répertoire ou un fichier spécial, pas un fichier de clé.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file belongs to user id %1; the server runs as user id %2. Give the file to the database user or to root (chown).</source>
        <translation>Le fichier appartient à l&apos;utilisateur d&apos;uid %1 ; le serveur s&apos;exécute sous l&apos;uid %2. Attribuez le fichier à l&apos;utilisateur de la base de données ou à root (chown).</translation>
    </message>
</context>
<context>
    <name>vf::pki::OpenSslText</name>
    <message>
        <location filename="../core/pki/OpenSslText.cpp" line="+50"/>
        <source>&lt;invalid length %1: %2&gt;</source>
        <translation>&lt;longueur non valide %1 : %2&gt;</translation>
    </message>
</context>
<context>
    <name>vf::pki::PkiLoader</name>
    <message>
        <location filename="../core/pki/PkiLoader.cpp" line="+52"/>
        <source>an encrypted private key</source>
        <translation>une clé privée chiffrée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 certificates</source>
        <translation>%1 certificats</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>root (CA) certificates</source>
        <translation>des certificats racines (d&apos;AC)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a client certificate</source>
        <translation>un certificat client</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+387"/>
        <source>a private key</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>une clé privée</translation>
    </message>
    <message>
        <location line="-385"/>
        <location line="+400"/>
        <source>a certificate revocation list (CRL)</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>une liste de révocation de certificats (CRL)</translation>
    </message>
    <message>
        <location line="-398"/>
        <source>a directory of CRLs</source>
        <translation>un répertoire de CRL</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a certificate, key or CRL</source>
        <translation>un certificat, une clé ou une CRL</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A private key belongs in the client key field (sslkey). This field needs a certificate (a file with &quot;-----BEGIN CERTIFICATE-----&quot;).</source>
        <translation>Une clé privée se place dans le champ de la clé client (sslkey). Ce champ nécessite un certificat (un fichier contenant &quot;-----BEGIN CERTIFICATE-----&quot;).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A private key belongs in the client key field (sslkey).</source>
        <translation>Une clé privée se place dans le champ de la clé client (sslkey).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The key field needs the matching *private* key: the file created together with the certificate request, which never leaves your computer. A public key cannot sign in.</source>
        <translation>Le champ de la clé nécessite la clé *privée* correspondante : le fichier créé en même temps que la demande de certificat, qui ne quitte jamais votre ordinateur. Une clé publique ne permet pas de s&apos;authentifier.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A bare public key is not a certificate: it has no name, issuer or signature. Ask for the certificate itself.</source>
        <translation>Une clé publique seule n&apos;est pas un certificat : elle n&apos;a ni nom, ni émetteur, ni signature. Demandez le certificat lui-même.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A certificate signing request is what you send to the certificate authority; it returns the signed certificate. Use that certificate (and, in the key field, the private key made with the request).</source>
        <translation>Une demande de signature de certificat est ce que vous envoyez à l&apos;autorité de certification, qui vous renvoie le certificat signé. Utilisez ce certificat (et, dans le champ de la clé, la clé privée créée avec la demande).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The key field needs the private key that belongs to the certificate (a file with &quot;-----BEGIN PRIVATE KEY-----&quot; or similar). The certificate goes in the certificate field (sslcert).</source>
        <translation>Le champ de la clé nécessite la clé privée qui correspond au certificat (un fichier contenant &quot;-----BEGIN PRIVATE KEY-----&quot; ou similaire). Le certificat se place dans le champ du certificat (sslcert).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates do not belong here. Note that libpq would still load this file, switch CRL checking on, find no CRL and then reject every server certificate (&quot;unable to get certificate CRL&quot;).</source>
        <translation>Les certificats n&apos;ont rien à faire ici. Notez que libpq chargerait quand même ce fichier, activerait la vérification des CRL, ne trouverait aucune CRL et rejetterait alors tous les certificats de serveur (&quot;unable to get certificate CRL&quot;).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A certificate revocation list belongs in the CRL file field (sslcrl).</source>
        <translation>Une liste de révocation de certificats se place dans le champ du fichier CRL (sslcrl).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A PKCS#12 bundle carries a client certificate and its key. For root certificates choose the certificate authority&apos;s certificate (it can be extracted from the bundle if the bundle includes it).</source>
        <translation>Un conteneur PKCS#12 contient un certificat client et sa clé. Pour les certificats racines, choisissez le certificat de l&apos;autorité de certification (il peut être extrait du conteneur si celui-ci l&apos;inclut).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A PKCS#7 bundle holds certificates only, never a private key.</source>
        <translation>Un conteneur PKCS#7 ne contient que des certificats, jamais de clé privée.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This PKCS#7 bundle holds no CRL.</source>
        <translation>Ce conteneur PKCS#7 ne contient aucune CRL.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PKCS#7 bundle holds no certificate.</source>
        <translation>Ce conteneur PKCS#7 ne contient aucun certificat.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PostgreSQL&apos;s TLS uses X.509 certificates and keys (PEM files); SSH keys cannot be used. Ask the database administrator for a client certificate.</source>
        <translation>Le TLS de PostgreSQL utilise des certificats et des clés X.509 (fichiers PEM) ; les clés SSH ne peuvent pas être utilisées. Demandez un certificat client à l&apos;administrateur de la base de données.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a file, not a directory.</source>
        <translation>Choisissez un fichier, pas un répertoire.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This field needs %1.</source>
        <translation>Ce champ nécessite %1.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&quot;%1&quot; holds %2, not %3</source>
        <translation>« %1 » contient %2, et non %3</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>the private key is encrypted and needs a passphrase</source>
        <translation>la clé privée est chiffrée et nécessite une phrase secrète</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the passphrase the key was protected with (libpq&apos;s sslpassword).</source>
        <translation>Saisissez la phrase secrète qui protège la clé (le sslpassword de libpq).</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>libpq cannot read PKCS#12 (.p12/.pfx) files: the certificate and the key have to be extracted into PEM files.</source>
        <translation>libpq ne sait pas lire les fichiers PKCS#12 (.p12/.pfx) : le certificat et la clé doivent être extraits dans des fichiers PEM.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq cannot read PKCS#7 (.p7b/.p7c) bundles: the certificates have to be extracted into a PEM file.</source>
        <translation>libpq ne sait pas lire les conteneurs PKCS#7 (.p7b/.p7c) : les certificats doivent être extraits dans un fichier PEM.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq reads only PEM text here (&quot;-----BEGIN …-----&quot;); this file is binary DER. Convert it to PEM.</source>
        <translation>libpq ne lit ici que du texte PEM (&quot;-----BEGIN …-----&quot;) ; ce fichier est au format DER binaire. Convertissez-le en PEM.</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+5"/>
        <source>libpq&apos;s OpenSSL could not read a certificate from this file.</source>
        <translation>L&apos;OpenSSL de libpq n&apos;a pas pu lire de certificat dans ce fichier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The security level of this system&apos;s OpenSSL refuses this certificate (its key is too small or its signature algorithm too weak). Get a certificate with an RSA key of at least 2048 bits or an EC key, signed with SHA-256.</source>
        <translation>Le niveau de sécurité de l&apos;OpenSSL de ce système refuse ce certificat (sa clé est trop petite ou son algorithme de signature trop faible). Procurez-vous un certificat avec une clé RSA d&apos;au moins 2048 bits ou une clé EC, signé avec SHA-256.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the private key is encrypted</source>
        <translation>la clé privée est chiffrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq can read it only with its passphrase in sslpassword; without it, psql asks on the terminal and other programs fail.</source>
        <translation>libpq ne peut la lire qu&apos;avec sa phrase secrète dans sslpassword ; sans elle, psql la demande dans le terminal et les autres programmes échouent.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq&apos;s OpenSSL could not read a private key from this file.</source>
        <translation>L&apos;OpenSSL de libpq n&apos;a pas pu lire de clé privée dans ce fichier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq cannot decrypt a binary (DER) encrypted key. Convert it to PEM.</source>
        <translation>libpq ne sait pas déchiffrer une clé chiffrée binaire (DER). Convertissez-la en PEM.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq could not decrypt the key with this passphrase.</source>
        <translation>libpq n&apos;a pas pu déchiffrer la clé avec cette phrase secrète.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>libpq silently skips a CRL file it cannot read and then checks no CRLs at all, not even those in sslcrldir.</source>
        <translation>libpq ignore silencieusement un fichier CRL qu&apos;il ne peut pas lire et ne vérifie alors aucune CRL, pas même celles de sslcrldir.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq would ignore CRL file &quot;%1&quot;: %2</source>
        <translation>libpq ignorerait le fichier CRL « %1 » : %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the CRL file also holds certificates</source>
        <translation>le fichier CRL contient aussi des certificats</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL loads them too: libpq then trusts them as if they were in the root certificate file.</source>
        <translation>OpenSSL les charge aussi : libpq leur fait alors confiance comme s&apos;ils figuraient dans le fichier de certificats racines.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&quot;%1&quot; is not a CA certificate</source>
        <translation>« %1 » n&apos;est pas un certificat d&apos;AC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Root certificates are certificate-authority certificates. This one is an end-entity (server or client) certificate; it only helps if the server presents exactly it.</source>
        <translation>Les certificats racines sont des certificats d&apos;autorité de certification. Celui-ci est un certificat d&apos;entité finale (serveur ou client) ; il n&apos;est utile que si le serveur présente exactement ce certificat.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the file also holds a private key</source>
        <translation>le fichier contient aussi une clé privée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Root certificate files are usually shared; a private key should not be in one. libpq ignores it here.</source>
        <translation>Les fichiers de certificats racines sont généralement partagés ; une clé privée ne doit pas s&apos;y trouver. libpq l&apos;ignore ici.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the first certificate in the file is a CA certificate</source>
        <translation>le premier certificat du fichier est un certificat d&apos;AC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq sends the first certificate as yours and the following ones as its chain. Put the client certificate first.</source>
        <translation>libpq envoie le premier certificat comme le vôtre et les suivants comme sa chaîne. Placez le certificat client en premier.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the certificate is a CA certificate</source>
        <translation>le certificat est un certificat d&apos;AC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A client certificate is normally an end-entity certificate issued by the CA, not the CA certificate itself.</source>
        <translation>Un certificat client est normalement un certificat d&apos;entité finale émis par l&apos;AC, et non le certificat de l&apos;AC lui-même.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the certificate is not meant for client authentication</source>
        <translation>le certificat n&apos;est pas destiné à l&apos;authentification client</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its extended key usage (%1) lacks &quot;TLS Web Client Authentication&quot;; the server will reject it (&quot;unsupported certificate purpose&quot;).</source>
        <translation>Son usage étendu de la clé (%1) ne comprend pas &quot;TLS Web Client Authentication&quot; ; le serveur le rejettera (&quot;unsupported certificate purpose&quot;).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the file holds %1 private keys</source>
        <translation>le fichier contient %1 clés privées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq uses the first one.</source>
        <translation>libpq utilise la première.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>With sslmode=verify-ca or verify-full libpq then fails (root certificate file &quot;%1&quot; does not exist); with weaker modes it does not check the server&apos;s certificate at all.</source>
        <translation>Avec sslmode=verify-ca ou verify-full, libpq échoue alors (root certificate file &quot;%1&quot; does not exist) ; avec les modes plus faibles, il ne vérifie pas du tout le certificat du serveur.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq then connects without a client certificate, silently.</source>
        <translation>libpq se connecte alors sans certificat client, silencieusement.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq reports: certificate present, but not private key file &quot;%1&quot;.</source>
        <translation>libpq signale : certificate present, but not private key file &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq then silently checks no CRLs at all, not even those of sslcrldir.</source>
        <translation>libpq ne vérifie alors silencieusement aucune CRL, pas même celles de sslcrldir.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq accepts a missing directory silently and switches CRL checking on: every server certificate is then rejected (&quot;unable to get certificate CRL&quot;).</source>
        <translation>libpq accepte silencieusement un répertoire absent et active la vérification des CRL : tous les certificats de serveur sont alors rejetés (&quot;unable to get certificate CRL&quot;).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A directory of CRLs belongs in the CRL directory field (sslcrldir).</source>
        <translation>Un répertoire de CRL se place dans le champ du répertoire CRL (sslcrldir).</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>a certificate</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>un certificat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a public key</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>une clé publique</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a certificate signing request (CSR)</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>une demande de signature de certificat (CSR)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a PKCS#12 bundle (.p12/.pfx)</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>un conteneur PKCS#12 (.p12/.pfx)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a PKCS#7 certificate bundle (.p7b)</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>un conteneur de certificats PKCS#7 (.p7b)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>an SSH key</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>une clé SSH</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a directory</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>un répertoire</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unrecognised data</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>des données non reconnues</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslrootcert (root certificates)</source>
        <translation>sslrootcert (certificats racines)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslcert (client certificate)</source>
        <translation>sslcert (certificat client)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslkey (client private key)</source>
        <translation>sslkey (clé privée client)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslcrl (CRL file)</source>
        <translation>sslcrl (fichier CRL)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslcrldir (CRL directory)</source>
        <translation>sslcrldir (répertoire CRL)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&quot;%1&quot; is a file, not a directory</source>
        <translation>« %1 » est un fichier, pas un répertoire</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A single CRL file belongs in the CRL file field (sslcrl); this field takes a directory of CRLs named by issuer hash (as &quot;openssl rehash&quot; creates).</source>
        <translation>Un fichier CRL unique se place dans le champ du fichier CRL (sslcrl) ; ce champ accepte un répertoire de CRL nommées d&apos;après le hachage de l&apos;émetteur (telles que les crée &quot;openssl rehash&quot;).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This field takes a directory of CRLs named by issuer hash (as &quot;openssl rehash&quot; creates).</source>
        <translation>Ce champ accepte un répertoire de CRL nommées d&apos;après le hachage de l&apos;émetteur (telles que les crée &quot;openssl rehash&quot;).</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>libpq would find no CRL in directory &quot;%1&quot;</source>
        <translation>libpq ne trouverait aucune CRL dans le répertoire « %1 »</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq accepts the directory and switches CRL checking on; with no CRL for the server&apos;s certificate authority it then rejects every server certificate (&quot;unable to get certificate CRL&quot;).</source>
        <translation>libpq accepte le répertoire et active la vérification des CRL ; sans CRL pour l&apos;autorité de certification du serveur, il rejette alors tous les certificats de serveur (&quot;unable to get certificate CRL&quot;).</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&quot;%1&quot; holds %2, not a certificate</source>
        <translation>« %1 » contient %2, et non un certificat</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&quot;%1&quot; holds no private key</source>
        <translation>« %1 » ne contient aucune clé privée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The PKCS#12 bundle only holds certificates.</source>
        <translation>Le conteneur PKCS#12 ne contient que des certificats.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>&quot;%1&quot; holds %2, not a PKCS#12 bundle</source>
        <translation>« %1 » contient %2, et non un conteneur PKCS#12</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the .p12/.pfx file, or load the certificate and key files directly.</source>
        <translation>Choisissez le fichier .p12/.pfx, ou chargez directement les fichiers du certificat et de la clé.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>directory &quot;%1&quot; has %2 files; only the first %3 were checked</source>
        <translation>le répertoire « %1 » contient %2 fichiers ; seuls les %3 premiers ont été vérifiés</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>&quot;%1&quot; is not a PEM file</source>
        <translation>« %1 » n&apos;est pas un fichier PEM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL reads only PEM CRLs from a CRL directory; this one is binary (DER). Convert it with &quot;openssl crl -inform DER -in %1 -out %1&quot;.</source>
        <translation>OpenSSL ne lit que des CRL PEM dans un répertoire CRL ; celle-ci est binaire (DER). Convertissez-la avec &quot;openssl crl -inform DER -in %1 -out %1&quot;.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; is named for another issuer</source>
        <translation>« %1 » est nommé d&apos;après un autre émetteur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The name uses the old (OpenSSL 0.9.8, MD5) subject hash; current OpenSSL looks for &quot;%1.r0&quot;. Run &quot;openssl rehash&quot; on the directory.</source>
        <translation>Le nom utilise l&apos;ancien hachage du sujet (OpenSSL 0.9.8, MD5) ; les versions actuelles d&apos;OpenSSL cherchent &quot;%1.r0&quot;. Exécutez &quot;openssl rehash&quot; sur le répertoire.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its CRL is issued by &quot;%2&quot;, whose hash is %1; OpenSSL looks for that CRL in &quot;%1.r0&quot;. Run &quot;openssl rehash&quot; on the directory.</source>
        <translation>Sa CRL est émise par « %2 », dont le hachage est %1 ; OpenSSL cherche cette CRL dans &quot;%1.r0&quot;. Exécutez &quot;openssl rehash&quot; sur le répertoire.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; has an upper-case name</source>
        <translation>« %1 » a un nom en majuscules</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL looks for lower-case hexadecimal names (&quot;%1.r%2&quot;).</source>
        <translation>OpenSSL cherche des noms hexadécimaux en minuscules (&quot;%1.r%2&quot;).</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&quot;%1&quot; is never read</source>
        <translation>« %1 » n&apos;est jamais lu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL reads %1.r0, %1.r1, … and stops at the first missing or unreadable one, so it never gets to this file. Run &quot;openssl rehash&quot;.</source>
        <translation>OpenSSL lit %1.r0, %1.r1, … et s&apos;arrête au premier fichier absent ou illisible : il n&apos;atteint donc jamais ce fichier. Exécutez &quot;openssl rehash&quot;.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>directory &quot;%1&quot; has no CRL files named by issuer hash</source>
        <translation>le répertoire « %1 » ne contient aucun fichier CRL nommé d&apos;après le hachage de l&apos;émetteur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenSSL only finds CRLs named &quot;&lt;issuer-hash&gt;.r0&quot;. Run &quot;openssl rehash %1&quot; to create these names.</source>
        <translation>OpenSSL ne trouve que les CRL nommées &quot;&lt;issuer-hash&gt;.r0&quot;. Exécutez &quot;openssl rehash %1&quot; pour créer ces noms.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OpenSSL only finds CRLs named &quot;&lt;issuer-hash&gt;.r0&quot; (as &quot;openssl rehash&quot; creates).</source>
        <translation>OpenSSL ne trouve que les CRL nommées &quot;&lt;issuer-hash&gt;.r0&quot; (telles que les crée &quot;openssl rehash&quot;).</translation>
    </message>
</context>
<context>
    <name>vf::pki::PkiParser</name>
    <message>
        <location filename="../core/pki/PkiParser.cpp" line="+292"/>
        <source>could not decode %1 number %2 in &quot;%3&quot;</source>
        <translation>impossible de décoder l&apos;élément n° %2 (%1) dans « %3 »</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has the right markers but the data inside is damaged or incomplete. Get a fresh copy of the file.</source>
        <translation>Le fichier contient les bons marqueurs, mais les données qu&apos;ils encadrent sont endommagées ou incomplètes. Procurez-vous une nouvelle copie du fichier.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&quot;%1&quot; is not a certificate, key or CRL file</source>
        <translation>« %1 » n&apos;est pas un fichier de certificat, de clé ou de CRL</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The file is UTF-16 text. Certificate and key files are ASCII; save it again as plain ASCII/UTF-8 text (for example with Notepad&apos;s &quot;UTF-8&quot; encoding).</source>
        <translation>Le fichier est un texte UTF-16. Les fichiers de certificats et de clés sont en ASCII ; enregistrez-le à nouveau en texte ASCII/UTF-8 simple (par exemple avec l&apos;encodage &quot;UTF-8&quot; du Bloc-notes).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is a Java KeyStore (JKS/JCEKS). Export the certificate with &quot;keytool -exportcert -rfc&quot;, or convert the store to PKCS#12 with &quot;keytool -importkeystore -deststoretype PKCS12&quot;.</source>
        <translation>Il s&apos;agit d&apos;un Java KeyStore (JKS/JCEKS). Exportez le certificat avec &quot;keytool -exportcert -rfc&quot;, ou convertissez le magasin en PKCS#12 avec &quot;keytool -importkeystore -deststoretype PKCS12&quot;.</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+7"/>
        <source>certificate</source>
        <translation>certificat</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>PKCS#7 bundle</source>
        <translation>conteneur PKCS#7</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+22"/>
        <source>private key</source>
        <translation>clé privée</translation>
    </message>
    <message>
        <location line="-18"/>
        <location line="+268"/>
        <source>encrypted private key</source>
        <translation>clé privée chiffrée</translation>
    </message>
    <message>
        <location line="-245"/>
        <location line="+4"/>
        <source>public key</source>
        <translation>clé publique</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>certificate request</source>
        <translation>demande de certificat</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>&quot;%1&quot; ends in the middle of PEM block number %2</source>
        <translation>« %1 » s&apos;arrête au milieu du bloc PEM n° %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file was cut off: the last &quot;-----BEGIN …-----&quot; block has no &quot;-----END …-----&quot; line. It was probably copied or downloaded incompletely; get a fresh copy.</source>
        <translation>Le fichier a été tronqué : le dernier bloc &quot;-----BEGIN …-----&quot; n&apos;a pas de ligne &quot;-----END …-----&quot;. Il a probablement été copié ou téléchargé de façon incomplète ; procurez-vous une nouvelle copie.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>could not decode PEM block number %1 in &quot;%2&quot;</source>
        <translation>impossible de décoder le bloc PEM n° %1 dans « %2 »</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The text between the &quot;-----BEGIN&quot; and &quot;-----END&quot; lines is not valid base64 or the block markers do not match. The file may have been edited or mangled by copy and paste.</source>
        <translation>Le texte entre les lignes &quot;-----BEGIN&quot; et &quot;-----END&quot; n&apos;est pas du base64 valide, ou les marqueurs de bloc ne correspondent pas. Le fichier a peut-être été modifié ou altéré par un copier-coller.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>ignored a PEM block of unknown type &quot;%1&quot;</source>
        <translation>bloc PEM de type inconnu &quot;%1&quot; ignoré</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Block number %1 is not a certificate, key, CRL or request; it was skipped.</source>
        <translation>Le bloc n° %1 n&apos;est ni un certificat, ni une clé, ni une CRL, ni une demande ; il a été ignoré.</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+115"/>
        <source>It is binary data in no format a certificate, key or CRL uses.</source>
        <translation>Ce sont des données binaires dans aucun des formats qu&apos;utilisent les certificats, les clés ou les CRL.</translation>
    </message>
    <message>
        <location line="-112"/>
        <source>unexpected data after object number %1 in &quot;%2&quot;</source>
        <translation>données inattendues après l&apos;objet n° %1 dans « %2 »</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file holds extra bytes after the binary (DER) object. It may be damaged, or two files were joined.</source>
        <translation>Le fichier contient des octets supplémentaires après l&apos;objet binaire (DER). Il est peut-être endommagé, ou deux fichiers ont été concaténés.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; is cut off: binary (DER) object number %2 needs %3 bytes, the file has %4</source>
        <translation>« %1 » est tronqué : l&apos;objet binaire (DER) n° %2 nécessite %3 octets, le fichier en contient %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The file was copied or downloaded incompletely; get a fresh copy.</source>
        <translation>Le fichier a été copié ou téléchargé de façon incomplète ; procurez-vous une nouvelle copie.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>It is binary ASN.1 (DER) data, but not a certificate, private or public key, CRL, certificate request, PKCS#7 or PKCS#12 file.</source>
        <translation>Ce sont des données ASN.1 binaires (DER), mais pas un certificat, une clé privée ou publique, une CRL, une demande de certificat, ni un fichier PKCS#7 ou PKCS#12.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>binary object</source>
        <translation>objet binaire</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>the private key is encrypted and needs a passphrase</source>
        <translation>la clé privée est chiffrée et nécessite une phrase secrète</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the passphrase the key was protected with (libpq&apos;s sslpassword).</source>
        <translation>Saisissez la phrase secrète qui protège la clé (le sslpassword de libpq).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>wrong passphrase for the private key</source>
        <translation>phrase secrète incorrecte pour la clé privée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The key could not be decrypted with this passphrase (libpq reports &quot;bad decrypt&quot;). Check the passphrase, including upper and lower case.</source>
        <translation>La clé n&apos;a pas pu être déchiffrée avec cette phrase secrète (libpq signale &quot;bad decrypt&quot;). Vérifiez la phrase secrète, y compris les majuscules et les minuscules.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>file &quot;%1&quot; is empty</source>
        <translation>le fichier « %1 » est vide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has no content.</source>
        <translation>Le fichier n&apos;a aucun contenu.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>It contains &quot;-----BEGIN&quot; but no PEM block starts at the beginning of a line.</source>
        <translation>Il contient &quot;-----BEGIN&quot;, mais aucun bloc PEM ne commence en début de ligne.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It is text without any &quot;-----BEGIN …-----&quot; block (PEM), so it holds no certificate, key or CRL.</source>
        <translation>C&apos;est du texte sans aucun bloc &quot;-----BEGIN …-----&quot; (PEM) : il ne contient donc ni certificat, ni clé, ni CRL.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>It only contains PEM blocks of other types (%1).</source>
        <translation>Il ne contient que des blocs PEM d&apos;autres types (%1).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the PKCS#12 file holds no private key</source>
        <translation>le fichier PKCS#12 ne contient aucune clé privée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It only holds certificates. Choose the file that holds the key.</source>
        <translation>Il ne contient que des certificats. Choisissez le fichier qui contient la clé.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not a private key</source>
        <translation>pas une clé privée</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>key</source>
        <translation>clé</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the private key is encrypted with an algorithm OpenSSL does not support</source>
        <translation>la clé privée est chiffrée avec un algorithme qu&apos;OpenSSL ne prend pas en charge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Convert the key with &quot;openssl pkcs8&quot; (add -provider legacy -provider default for very old keys).</source>
        <translation>Convertissez la clé avec &quot;openssl pkcs8&quot; (ajoutez -provider legacy -provider default pour les clés très anciennes).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the decrypted private key could not be read</source>
        <translation>la clé privée déchiffrée n&apos;a pas pu être lue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The key uses an algorithm this OpenSSL does not know.</source>
        <translation>La clé utilise un algorithme que cet OpenSSL ne connaît pas.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the private key is encrypted with an unknown cipher</source>
        <translation>la clé privée est chiffrée avec un algorithme de chiffrement inconnu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its DEK-Info header names a cipher OpenSSL does not support.</source>
        <translation>Son en-tête DEK-Info mentionne un algorithme de chiffrement qu&apos;OpenSSL ne prend pas en charge.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>PKCS#12 file</source>
        <translation>fichier PKCS#12</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PKCS#12 structure</source>
        <translation>structure PKCS#12</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+27"/>
        <source>the PKCS#12 file uses an algorithm OpenSSL 3 does not support by default</source>
        <translation>le fichier PKCS#12 utilise un algorithme qu&apos;OpenSSL 3 ne prend pas en charge par défaut</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Convert it: &quot;openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes&quot;, or export it again with modern settings (AES-256, SHA-256).</source>
        <translation>Convertissez-le : &quot;openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes&quot;, ou exportez-le à nouveau avec des paramètres modernes (AES-256, SHA-256).</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+30"/>
        <source>the PKCS#12 file is password-protected</source>
        <translation>le fichier PKCS#12 est protégé par mot de passe</translation>
    </message>
    <message>
        <location line="-29"/>
        <location line="+30"/>
        <source>Enter the password it was exported with.</source>
        <translation>Saisissez le mot de passe utilisé lors de son export.</translation>
    </message>
    <message>
        <location line="-29"/>
        <location line="+25"/>
        <source>wrong password for the PKCS#12 file</source>
        <translation>mot de passe incorrect pour le fichier PKCS#12</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Its integrity check failed with this password (OpenSSL: &quot;mac verify failure&quot;). Check the password, including upper and lower case.</source>
        <translation>Son contrôle d&apos;intégrité a échoué avec ce mot de passe (OpenSSL : &quot;mac verify failure&quot;). Vérifiez le mot de passe, y compris les majuscules et les minuscules.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>It was probably exported with the old RC2/3DES settings. Convert it: &quot;openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes&quot;, or export it again with modern settings (AES-256, SHA-256).</source>
        <translation>Il a probablement été exporté avec les anciens paramètres RC2/3DES. Convertissez-le : &quot;openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes&quot;, ou exportez-le à nouveau avec des paramètres modernes (AES-256, SHA-256).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Its contents could not be decrypted with this password.</source>
        <translation>Son contenu n&apos;a pas pu être déchiffré avec ce mot de passe.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>could not read the PKCS#12 file</source>
        <translation>impossible de lire le fichier PKCS#12</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its contents are damaged or use a structure OpenSSL cannot read.</source>
        <translation>Son contenu est endommagé ou utilise une structure qu&apos;OpenSSL ne sait pas lire.</translation>
    </message>
</context>
<context>
    <name>vf::pki::PrivateKey</name>
    <message>
        <location filename="../core/pki/PrivateKey.cpp" line="+91"/>
        <source>traditional DSA</source>
        <translation>DSA traditionnel</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>no certificate or no private key to compare</source>
        <translation>pas de certificat ou pas de clé privée à comparer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load both the certificate and the private key first.</source>
        <translation>Chargez d&apos;abord le certificat et la clé privée.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>could not read the certificate&apos;s public key</source>
        <translation>impossible de lire la clé publique du certificat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate&apos;s public key uses an algorithm this OpenSSL does not support.</source>
        <translation>La clé publique du certificat utilise un algorithme que cet OpenSSL ne prend pas en charge.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The certificate has a %1 key but this is a %2 key: they cannot belong together. Choose the key file that was created with the certificate request.</source>
        <translation>Le certificat a une clé %1, mais celle-ci est une clé %2 : ils ne peuvent pas aller ensemble. Choisissez le fichier de clé créé avec la demande de certificat.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Both are %1 keys, but this private key is not the one the certificate was issued for. Choose the key file that was created with the certificate request, or the certificate that was issued for this key.</source>
        <translation>Les deux sont des clés %1, mais cette clé privée n&apos;est pas celle pour laquelle le certificat a été émis. Choisissez le fichier de clé créé avec la demande de certificat, ou le certificat émis pour cette clé.</translation>
    </message>
</context>
<context>
    <name>vf::pki::SafeFileReader</name>
    <message>
        <location filename="../core/pki/SafeFileReader.cpp" line="+39"/>
        <location line="+5"/>
        <location line="+6"/>
        <source>file &quot;%1&quot; does not exist</source>
        <translation>le fichier « %1 » n&apos;existe pas</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>It is a symbolic link whose target does not exist. Point it at the real file or choose the file itself.</source>
        <translation>C&apos;est un lien symbolique dont la cible n&apos;existe pas. Faites-le pointer vers le vrai fichier ou choisissez directement le fichier.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check the path. A relative path is resolved against the current directory.</source>
        <translation>Vérifiez le chemin. Un chemin relatif est résolu à partir du répertoire courant.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A part of the path that should be a directory is a file.</source>
        <translation>Une partie du chemin qui devrait être un répertoire est un fichier.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>file &quot;%1&quot; is a symbolic link loop</source>
        <translation>le fichier « %1 » est une boucle de liens symboliques</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The path follows symbolic links that point back to each other and never reach a file. Fix the links or choose the real file.</source>
        <translation>Le chemin suit des liens symboliques qui pointent les uns vers les autres sans jamais atteindre un fichier. Corrigez les liens ou choisissez le vrai fichier.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+6"/>
        <source>could not open file &quot;%1&quot;: %2</source>
        <translation>impossible d&apos;ouvrir le fichier « %1 » : %2</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>This user may not read the file or one of the directories above it. Change the permissions or copy the file somewhere readable.</source>
        <translation>Cet utilisateur n&apos;a pas le droit de lire le fichier ou l&apos;un des répertoires qui le contiennent. Modifiez les permissions ou copiez le fichier dans un emplacement lisible.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The file could not be opened.</source>
        <translation>Le fichier n&apos;a pas pu être ouvert.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;%1&quot; is a directory, not a file</source>
        <translation>« %1 » est un répertoire, pas un fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a file inside the directory. (Only the CRL directory setting, sslcrldir, takes a directory.)</source>
        <translation>Choisissez un fichier à l&apos;intérieur du répertoire. (Seul le paramètre du répertoire CRL, sslcrldir, accepte un répertoire.)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>special file</source>
        <translation>fichier spécial</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>named pipe (FIFO)</source>
        <translation>tube nommé (FIFO)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>device</source>
        <translation>périphérique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>socket</source>
        <translation>socket</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;%1&quot; is not a regular file</source>
        <translation>« %1 » n&apos;est pas un fichier ordinaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It is a %1. Certificates, keys and CRLs must be ordinary files; it was not read.</source>
        <translation>C&apos;est un %1. Les certificats, les clés et les CRL doivent être des fichiers ordinaires ; il n&apos;a pas été lu.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 bytes</source>
        <translation>%1 octets</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>more than %1 bytes</source>
        <translation>plus de %1 octets</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>file &quot;%1&quot; is too large (%2)</source>
        <translation>le fichier « %1 » est trop volumineux (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate, key and CRL files are small; the limit is %1 MiB. This is probably not the file you meant.</source>
        <translation>Les fichiers de certificats, de clés et de CRL sont petits ; la limite est de %1 Mio. Ce n&apos;est probablement pas le fichier voulu.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>no file name given</source>
        <translation>aucun nom de fichier indiqué</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a file.</source>
        <translation>Choisissez un fichier.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>file &quot;%1&quot; is empty</source>
        <translation>le fichier « %1 » est vide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has no content. It may not have been written completely, or the wrong file was chosen.</source>
        <translation>Le fichier n&apos;a aucun contenu. Il n&apos;a peut-être pas été écrit entièrement, ou le mauvais fichier a été choisi.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>no directory name given</source>
        <translation>aucun nom de répertoire indiqué</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a directory.</source>
        <translation>Choisissez un répertoire.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>directory &quot;%1&quot; does not exist</source>
        <translation>le répertoire « %1 » n&apos;existe pas</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; is not a directory</source>
        <translation>« %1 » n&apos;est pas un répertoire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This setting takes a directory of CRL files named by issuer hash (as &quot;openssl rehash&quot; creates). A single CRL file belongs in the CRL file setting (sslcrl).</source>
        <translation>Ce paramètre accepte un répertoire de fichiers CRL nommés d&apos;après le hachage de l&apos;émetteur (tels que les crée &quot;openssl rehash&quot;). Un fichier CRL unique se place dans le paramètre du fichier CRL (sslcrl).</translation>
    </message>
</context>
<context>
    <name>vf::report::ChainCheck</name>
    <message>
        <location filename="../core/report/ChainCheck.cpp" line="+29"/>
        <source>no certificate file given</source>
        <translation>aucun fichier de certificat indiqué</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no certificate found in &quot;%1&quot;</source>
        <translation>aucun certificat trouvé dans « %1 »</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>no --root given: libpq&apos;s default root file %1</source>
        <translation>pas de --root indiqué : fichier racine par défaut de libpq %1</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Not verified: no root certificates were given.</source>
        <translation>Non vérifié : aucun certificat racine n&apos;a été fourni.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the root certificate file with --root FILE, or --system for the system&apos;s trusted roots.</source>
        <translation>Indiquez le fichier de certificats racines avec --root FICHIER, ou --system pour les racines de confiance du système.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shown, not verified (no root certificates).</source>
        <translation>Affiché, non vérifié (aucun certificat racine).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not verified, and the certificate does not name %1.</source>
        <translation>Non vérifié, et le certificat ne mentionne pas %1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Valid: the chain leads to a root in %1.</source>
        <translation>Valide : la chaîne mène à une racine figurant dans %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid for %1: the chain leads to a root in %2 and the certificate names the host.</source>
        <translation>Valide pour %1 : la chaîne mène à une racine figurant dans %2 et le certificat mentionne cet hôte.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Invalid: %1</source>
        <translation>Non valide : %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Invalid.</source>
        <translation>Non valide.</translation>
    </message>
</context>
<context>
    <name>vf::report::Diagnosis</name>
    <message>
        <location filename="../core/report/Diagnosis.cpp" line="+41"/>
        <source>%1 and %2</source>
        <translation>%1 et %2</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>%1 is not set</source>
        <translation>%1 n&apos;est pas défini</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is set (%2)</source>
        <translation>%1 est défini (%2)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: no file (no home directory)</source>
        <translation>%1 : aucun fichier (pas de répertoire personnel)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not set, so libpq uses its default file %2 (%3)</source>
        <translation>%1 n&apos;est pas défini, donc libpq utilise son fichier par défaut %2 (%3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it exists</source>
        <translation>il existe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>it does not exist</source>
        <translation>il n&apos;existe pas</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 port %2</source>
        <translation>%1 port %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the server certificate</source>
        <translation>le certificat du serveur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the intermediate CA certificate</source>
        <translation>le certificat de l&apos;AC intermédiaire</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the root CA certificate</source>
        <translation>le certificat de l&apos;AC racine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an extra certificate</source>
        <translation>un certificat supplémentaire</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the system&apos;s trusted roots (%1 certificates)</source>
        <translation>le magasin de confiance du système (%1 certificats)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no certificate</source>
        <translation>aucun certificat</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n autre</numerusform>
            <numerusform>%n autres</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>#%1 %2 issued by %3</source>
        <translation>#%1 %2 émis par %3</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>The server sent %n certificate(s): %1</source>
        <translation>
            <numerusform>Le serveur a envoyé %n certificat : %1</numerusform>
            <numerusform>Le serveur a envoyé %n certificats : %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+31"/>
        <source>no CRL</source>
        <translation>aucune CRL</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CRLs from %1</source>
        <translation>des CRL de %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CRL file %1 holds %2</source>
        <translation>Le fichier CRL %1 contient : %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <source>nothing readable (%1)</source>
        <translation>rien de lisible (%1)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>CRL directory %1 holds %2</source>
        <translation>Le répertoire CRL %1 contient : %2</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>no root certificates</source>
        <translation>aucun certificat racine</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1391"/>
        <source>your root file %1</source>
        <translation>votre fichier racine %1</translation>
    </message>
    <message>
        <location line="-1389"/>
        <location line="+1388"/>
        <source>the system&apos;s trusted roots</source>
        <translation>le magasin de confiance du système</translation>
    </message>
    <message>
        <location line="-1339"/>
        <source>%1 holds %2</source>
        <translation>%1 contient : %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trusted: %1</source>
        <translation>Racines de confiance : %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Certificate #%1 %2 (%3): %4</source>
        <translation>Certificat #%1 %2 (%3) : %4</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 holds a certificate named %2, but not the one that issued %3: the CA was probably renewed with a new key.</source>
        <translation>%1 contient un certificat nommé %2, mais pas celui qui a émis %3 : l&apos;AC a probablement été renouvelée avec une nouvelle clé.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates are matched by key, not by name. The %1 in %2 has SHA-256 fingerprint %3; the CA that signed %4 uses another key.</source>
        <translation>Les certificats sont associés par leur clé, pas par leur nom. Le certificat %1 présent dans %2 a l&apos;empreinte SHA-256 %3 ; l&apos;AC qui a signé %4 utilise une autre clé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replace %1 in %2 with the CA&apos;s current certificate (ask the server&apos;s administrator or the CA for it), or keep both during the changeover.</source>
        <translation>Remplacez %1 dans %2 par le certificat actuel de l&apos;AC (demandez-le à l&apos;administrateur du serveur ou à l&apos;AC), ou conservez les deux pendant la transition.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s chain leads to %1, which is not among the system&apos;s trusted roots.</source>
        <translation>La chaîne du serveur mène à %1, qui ne fait pas partie des racines de confiance du système.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslrootcert=system trusts the public certificate authorities of this computer. A server with a certificate from a private CA (or one that does not send its intermediate) cannot be verified that way.</source>
        <translation>sslrootcert=system fait confiance aux autorités de certification publiques de cet ordinateur. Un serveur dont le certificat provient d&apos;une AC privée (ou qui n&apos;envoie pas son certificat intermédiaire) ne peut pas être vérifié de cette façon.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>For a private CA: set sslrootcert to a file with that CA&apos;s root certificate.</source>
        <translation>Pour une AC privée : définissez sslrootcert sur un fichier contenant le certificat racine de cette AC.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If %1 is an intermediate, the server has to send it: put the full chain into its ssl_cert_file.</source>
        <translation>Si %1 est un certificat intermédiaire, le serveur doit l&apos;envoyer : mettez la chaîne complète dans son ssl_cert_file.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server did not send the intermediate %1 that issued its certificate, and %2 does not hold it.</source>
        <translation>Le serveur n&apos;a pas envoyé le certificat intermédiaire %1 qui a émis son certificat, et il ne figure pas dans %2.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq builds the chain from the certificates the server sends plus your root certificates. The server sent only its own certificate %1, issued by %2; %3 holds %4, so the link between them is missing.</source>
        <translation>libpq construit la chaîne à partir des certificats envoyés par le serveur et de vos certificats racines. Le serveur n&apos;a envoyé que son propre certificat %1, émis par %2 ; %3 contient %4, donc le lien entre les deux manque.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>On the server: configure ssl_cert_file with the full chain (the server certificate followed by the intermediate %1) and reload.</source>
        <translation>Sur le serveur : configurez ssl_cert_file avec la chaîne complète (le certificat du serveur suivi du certificat intermédiaire %1), puis rechargez la configuration.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Or add the intermediate %1 to %2.</source>
        <translation>Ou ajoutez le certificat intermédiaire %1 à %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If %1 is itself a root CA, add it to %2.</source>
        <translation>Si %1 est lui-même une AC racine, ajoutez-le à %2.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 holds %2, but the server&apos;s chain ends at %3, which was issued by %4: add that root.</source>
        <translation>%1 contient %2, mais la chaîne du serveur s&apos;arrête à %3, émis par %4 : ajoutez cette racine.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The top certificate the server sent, %1, was issued by %2, and no certificate of that name is among your trusted roots.</source>
        <translation>Le certificat le plus haut envoyé par le serveur, %1, a été émis par %2, et aucun certificat de ce nom ne figure parmi vos racines de confiance.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add the root certificate %1 to %2 (get it from the CA or the server&apos;s administrator, and compare its fingerprint).</source>
        <translation>Ajoutez le certificat racine %1 à %2 (obtenez-le auprès de l&apos;AC ou de l&apos;administrateur du serveur, et comparez son empreinte).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 holds a certificate named %2, but the server&apos;s chain ends at a different %2 (another key): the CA was probably re-created.</source>
        <translation>%1 contient un certificat nommé %2, mais la chaîne du serveur s&apos;arrête à un autre %2 (une autre clé) : l&apos;AC a probablement été recréée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Yours has SHA-256 fingerprint %1, the server&apos;s root %2.</source>
        <translation>Le vôtre a l&apos;empreinte SHA-256 %1, la racine du serveur %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replace %1 in %2 with the root the server uses (SHA-256 %3), after checking that fingerprint with the server&apos;s administrator.</source>
        <translation>Remplacez %1 dans %2 par la racine qu&apos;utilise le serveur (SHA-256 %3), après avoir vérifié cette empreinte auprès de l&apos;administrateur du serveur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 holds %2, but the server&apos;s chain ends at %3: add that root.</source>
        <translation>%1 contient %2, mais la chaîne du serveur s&apos;arrête à %3 : ajoutez cette racine.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server sent its whole chain up to the self-signed root %1. libpq accepts it only if that root is among your trusted root certificates, and it is not.</source>
        <translation>Le serveur a envoyé toute sa chaîne jusqu&apos;à la racine autosignée %1. libpq ne l&apos;accepte que si cette racine fait partie de vos certificats racines de confiance, ce qui n&apos;est pas le cas.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add the root certificate %1 (SHA-256 %2) to %3, after checking that fingerprint with the server&apos;s administrator.</source>
        <translation>Ajoutez le certificat racine %1 (SHA-256 %2) à %3, après avoir vérifié cette empreinte auprès de l&apos;administrateur du serveur.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server uses a self-signed certificate %1 that %2 does not hold.</source>
        <translation>Le serveur utilise un certificat autosigné %1 qui ne figure pas dans %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A self-signed server certificate is its own root: it can only be trusted by putting exactly that certificate into your root file.</source>
        <translation>Un certificat de serveur autosigné est sa propre racine : on ne peut lui faire confiance qu&apos;en plaçant exactement ce certificat dans votre fichier racine.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>If you trust it, add it to %1 after checking its SHA-256 fingerprint %2 with the server&apos;s administrator.</source>
        <translation>Si vous lui faites confiance, ajoutez-le à %1 après avoir vérifié son empreinte SHA-256 %2 auprès de l&apos;administrateur du serveur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Better: have the server use a certificate issued by a CA you trust.</source>
        <translation>Mieux : faites utiliser au serveur un certificat émis par une AC de confiance.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 holds the intermediate %2 but not the root %3 that issued it.</source>
        <translation>%1 contient le certificat intermédiaire %2, mais pas la racine %3 qui l&apos;a émis.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq does not accept an intermediate CA as a trust anchor: the chain must end at a self-signed root certificate in your root file.</source>
        <translation>libpq n&apos;accepte pas une AC intermédiaire comme ancre de confiance : la chaîne doit se terminer par un certificat racine autosigné présent dans votre fichier racine.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add the root certificate %1 to %2.</source>
        <translation>Ajoutez le certificat racine %1 à %2.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a certificate</source>
        <translation>un certificat</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%1 %2 expired on %3 (%n day(s) ago).</source>
        <translation>
            <numerusform>%1 %2 a expiré le %3 (il y a %n jour).</numerusform>
            <numerusform>%1 %2 a expiré le %3 (il y a %n jours).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2 is not valid before %3.</source>
        <translation>%1 %2 n&apos;est pas valide avant le %3.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates are only accepted within their validity period (checked against this computer&apos;s clock: %1).</source>
        <translation>Les certificats ne sont acceptés que pendant leur période de validité (vérifiée d&apos;après l&apos;horloge de cet ordinateur : %1).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s administrator has to renew the server certificate (ssl_cert_file) and reload the server.</source>
        <translation>L&apos;administrateur du serveur doit renouveler le certificat du serveur (ssl_cert_file) et recharger le serveur.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Replace %1 in %2 with the CA&apos;s current certificate.</source>
        <translation>Remplacez %1 dans %2 par le certificat actuel de l&apos;AC.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server has to send the current %1: update its ssl_cert_file.</source>
        <translation>Le serveur doit envoyer le certificat %1 actuel : mettez à jour son ssl_cert_file.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check this computer&apos;s date and time.</source>
        <translation>Vérifiez la date et l&apos;heure de cet ordinateur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 %2 (serial %3) has been revoked: the CRL of %4 lists it.</source>
        <translation>%1 %2 (numéro de série %3) a été révoqué : la CRL de %4 le mentionne.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the certificate</source>
        <translation>le certificat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A revoked certificate must not be trusted any more (its key may have been stolen or it was replaced).</source>
        <translation>Un certificat révoqué ne doit plus être considéré comme fiable (sa clé a peut-être été volée, ou il a été remplacé).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server needs a new certificate; ask its administrator.</source>
        <translation>Le serveur a besoin d&apos;un nouveau certificat ; contactez son administrateur.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If the CRL is wrong or outdated, update it (sslcrl / sslcrldir).</source>
        <translation>Si la CRL est erronée ou obsolète, mettez-la à jour (sslcrl / sslcrldir).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CRL checking is on, and there is no CRL from %1, the issuer of %2 (unable to get certificate CRL).</source>
        <translation>La vérification des CRL est activée, et il n&apos;y a pas de CRL de %1, l&apos;émetteur de %2 (unable to get certificate CRL).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add the CRL issued by %1 to the CRL file (several PEM CRLs can be concatenated) or to the CRL directory (named by `openssl rehash`).</source>
        <translation>Ajoutez la CRL émise par %1 au fichier CRL (plusieurs CRL PEM peuvent être concaténées) ou au répertoire CRL (nommée par `openssl rehash`).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The CRL from %1 is out of date (%2).</source>
        <translation>La CRL de %1 n&apos;est pas à jour (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenSSL refuses a CRL outside its thisUpdate/nextUpdate window, and with it the whole chain.</source>
        <translation>OpenSSL refuse une CRL en dehors de sa période thisUpdate/nextUpdate, et avec elle toute la chaîne.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download a current CRL from %1 and replace the old one.</source>
        <translation>Téléchargez une CRL à jour de %1 et remplacez l&apos;ancienne.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not allowed to be used as a TLS server certificate.</source>
        <translation>%1 n&apos;est pas autorisé à servir de certificat de serveur TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its extended key usage is %1; a server certificate needs TLS Web Server Authentication (serverAuth).</source>
        <translation>Son usage étendu de la clé est %1 ; un certificat de serveur nécessite TLS Web Server Authentication (serverAuth).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Have the certificate reissued with extendedKeyUsage=serverAuth.</source>
        <translation>Faites réémettre le certificat avec extendedKeyUsage=serverAuth.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is used as a CA but may not sign certificates (%2).</source>
        <translation>%1 est utilisé comme AC mais n&apos;a pas le droit de signer des certificats (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A CA certificate needs basicConstraints CA:TRUE, keyUsage keyCertSign and a path length that allows the chain below it.</source>
        <translation>Un certificat d&apos;AC nécessite basicConstraints CA:TRUE, keyUsage keyCertSign et une longueur de chemin qui autorise la chaîne située en dessous.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reissue %1 as a proper CA certificate, or issue the server certificate from a real CA.</source>
        <translation>Réémettez %1 comme véritable certificat d&apos;AC, ou faites émettre le certificat du serveur par une véritable AC.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The signature of %1 does not verify with the key of %2.</source>
        <translation>La signature de %1 ne se vérifie pas avec la clé de %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate was changed or was not issued by the CA of that name.</source>
        <translation>Le certificat a été modifié ou n&apos;a pas été émis par l&apos;AC de ce nom.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get the genuine certificates from the CA; check that nothing in between replaces the server&apos;s certificate.</source>
        <translation>Procurez-vous les certificats authentiques auprès de l&apos;AC ; vérifiez que rien entre vous et le serveur ne remplace son certificat.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 uses a key or signature too weak for OpenSSL&apos;s security level (%2).</source>
        <translation>%1 utilise une clé ou une signature trop faible pour le niveau de sécurité d&apos;OpenSSL (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenSSL on this computer refuses RSA keys under 2048 bits and SHA-1/MD5 signatures.</source>
        <translation>OpenSSL sur cet ordinateur refuse les clés RSA de moins de 2048 bits et les signatures SHA-1/MD5.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reissue %1 with a stronger key (RSA 2048+ or EC P-256) and SHA-256.</source>
        <translation>Réémettez %1 avec une clé plus robuste (RSA 2048+ ou EC P-256) et SHA-256.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate chain does not verify: %1 at %2.</source>
        <translation>La chaîne de certificats ne se vérifie pas : %1 au niveau de %2.</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>%1 %2 expires on %3 (in %n day(s)).</source>
        <translation>
            <numerusform>%1 %2 expire le %3 (dans %n jour).</numerusform>
            <numerusform>%1 %2 expire le %3 (dans %n jours).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>After that date libpq refuses the chain.</source>
        <translation>Après cette date, libpq refuse la chaîne.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Renew the server certificate in time.</source>
        <translation>Renouvelez le certificat du serveur à temps.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make sure the renewed %1 is deployed before then.</source>
        <translation>Assurez-vous que le certificat %1 renouvelé est déployé d&apos;ici là.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Revocation is not checked: the CRL locations could not be loaded.</source>
        <translation>La révocation n&apos;est pas vérifiée : les emplacements des CRL n&apos;ont pas pu être chargés.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check sslcrl / sslcrldir: the file must be a readable PEM CRL.</source>
        <translation>Vérifiez sslcrl / sslcrldir : le fichier doit être une CRL PEM lisible.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>DNS name</source>
        <translation>nom DNS</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>IP address</source>
        <translation>adresse IP</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>common name</source>
        <translation>nom commun</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Certificate %1 %2: %3</source>
        <translation>Certificat, %1 %2 : %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not compared (libpq ignores the common name when subjectAltName entries exist)</source>
        <translation>non comparé (libpq ignore le nom commun lorsque des entrées subjectAltName existent)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>matches</source>
        <translation>correspond</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>does not match</source>
        <translation>ne correspond pas</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode=verify-full needs a host name to compare with the certificate, and only an address (hostaddr) was given.</source>
        <translation>sslmode=verify-full a besoin d&apos;un nom d&apos;hôte à comparer avec le certificat, et seule une adresse (hostaddr) a été indiquée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set host to the name in the certificate (%1) and keep hostaddr for the address.</source>
        <translation>Définissez host avec le nom figurant dans le certificat (%1) et conservez hostaddr pour l&apos;adresse.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq refuses the server certificate&apos;s names: %1</source>
        <translation>libpq refuse les noms du certificat du serveur : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server certificate has to be reissued.</source>
        <translation>Le certificat du serveur doit être réémis.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server certificate holds no name at all (no subjectAltName, no common name); you connected to %1.</source>
        <translation>Le certificat du serveur ne contient aucun nom (ni subjectAltName, ni nom commun) ; vous vous êtes connecté à %1.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server certificate names %1; you connected to %2.</source>
        <translation>Le certificat du serveur mentionne %1 ; vous vous êtes connecté à %2.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Connect with one of those names (for example host=%1; add hostaddr=&lt;address&gt; if that name does not resolve from here).</source>
        <translation>Connectez-vous avec l&apos;un de ces noms (par exemple host=%1 ; ajoutez hostaddr=&lt;adresse&gt; si ce nom ne se résout pas depuis cet ordinateur).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Or have the certificate reissued with this name (subjectAltName %1:%2).</source>
        <translation>Ou faites réémettre le certificat avec ce nom (subjectAltName %1:%2).</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unknown encoding</source>
        <translation>encodage inconnu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, encrypted</source>
        <translation>%1, chiffrée</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 holds %2 (%3)</source>
        <translation>%1 contient : %2 (%3)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq reads certificates as PEM only; convert it: openssl x509 -inform DER -in %1 -out %2</source>
        <translation>libpq ne lit les certificats qu&apos;au format PEM ; convertissez-le : openssl x509 -inform DER -in %1 -out %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>It is a PKCS#12 bundle, which libpq cannot read; extract the key: openssl pkcs12 -in %1 -nocerts -nodes -out client.key (then chmod 0600 client.key)</source>
        <translation>C&apos;est un conteneur PKCS#12, que libpq ne sait pas lire ; extrayez-en la clé : openssl pkcs12 -in %1 -nocerts -nodes -out client.key (puis chmod 0600 client.key)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It is a PKCS#12 bundle, which libpq cannot read; extract the certificates: openssl pkcs12 -in %1 -nokeys -out %2</source>
        <translation>C&apos;est un conteneur PKCS#12, que libpq ne sait pas lire ; extrayez-en les certificats : openssl pkcs12 -in %1 -nokeys -out %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An OpenSSH key cannot be used for TLS; use the private key that belongs to the client certificate.</source>
        <translation>Une clé OpenSSH ne peut pas servir pour TLS ; utilisez la clé privée qui correspond au certificat client.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>SQLSTATE %1</source>
        <translation>SQLSTATE %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server&apos;s pg_hba.conf has no line that accepts an unencrypted connection from %1 for user %2 to database %3.</source>
        <translation>Le pg_hba.conf du serveur ne contient aucune ligne acceptant une connexion non chiffrée depuis %1 pour l&apos;utilisateur %2 sur la base de données %3.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This connection attempt was not encrypted. Servers commonly allow remote logins only over TLS (hostssl lines), so an unencrypted attempt finds no matching line.</source>
        <translation>Cette tentative de connexion n&apos;était pas chiffrée. Les serveurs n&apos;autorisent souvent les connexions distantes que par TLS (lignes hostssl) : une tentative non chiffrée ne trouve donc aucune ligne correspondante.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use TLS: sslmode=verify-full (or at least require), and fix the TLS failure if there is one above.</source>
        <translation>Utilisez TLS : sslmode=verify-full (ou au moins require), et corrigez l&apos;échec TLS s&apos;il y en a un ci-dessus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Or ask the server&apos;s administrator to add a pg_hba.conf line for this user, database and address, and reload.</source>
        <translation>Ou demandez à l&apos;administrateur du serveur d&apos;ajouter une ligne pg_hba.conf pour cet utilisateur, cette base de données et cette adresse, puis de recharger la configuration.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s pg_hba.conf has no line that accepts a TLS connection from %1 for user %2 to database %3.</source>
        <translation>Le pg_hba.conf du serveur ne contient aucune ligne acceptant une connexion TLS depuis %1 pour l&apos;utilisateur %2 sur la base de données %3.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>pg_hba.conf is checked top to bottom for a line matching the connection type (hostssl for TLS), database, user and client address; none matched.</source>
        <translation>pg_hba.conf est parcouru de haut en bas à la recherche d&apos;une ligne correspondant au type de connexion (hostssl pour TLS), à la base de données, à l&apos;utilisateur et à l&apos;adresse du client ; aucune ne correspond.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask the server&apos;s administrator to add a line such as &quot;hostssl %1 %2 %3/32 scram-sha-256&quot; to pg_hba.conf and reload the server.</source>
        <translation>Demandez à l&apos;administrateur du serveur d&apos;ajouter une ligne telle que &quot;hostssl %1 %2 %3/32 scram-sha-256&quot; à pg_hba.conf et de recharger le serveur.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check the user and database names you connect with.</source>
        <translation>Vérifiez les noms d&apos;utilisateur et de base de données avec lesquels vous vous connectez.</translation>
    </message>
    <message>
        <location line="-352"/>
        <source>Because the CRL file or directory (sslcrl, sslcrldir) loaded, libpq lets OpenSSL check every certificate of the chain, intermediates included, and it needs a current CRL from each CA.</source>
        <translation>Comme le fichier ou le répertoire CRL (sslcrl, sslcrldir) a été chargé, libpq laisse OpenSSL vérifier chaque certificat de la chaîne, intermédiaires compris, et il lui faut une CRL à jour de chaque AC.</translation>
    </message>
    <message>
        <location line="+270"/>
        <source>It is a PKCS#7 bundle, which libpq cannot read; convert it: %1</source>
        <extracomment>%1 is a shell command (openssl …), shown as is</extracomment>
        <translation>C&apos;est un conteneur PKCS#7, que libpq ne sait pas lire ; convertissez-le : %1</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>A &quot;reject&quot; line in the server&apos;s pg_hba.conf refuses this TLS connection.</source>
        <translation>Une ligne &quot;reject&quot; dans le pg_hba.conf du serveur refuse cette connexion TLS.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A &quot;reject&quot; line in the server&apos;s pg_hba.conf refuses this unencrypted connection.</source>
        <translation>Une ligne &quot;reject&quot; dans le pg_hba.conf du serveur refuse cette connexion non chiffrée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The first pg_hba.conf line that matches this connection type, user, database and address says reject.</source>
        <translation>La première ligne de pg_hba.conf qui correspond à ce type de connexion, cet utilisateur, cette base de données et cette adresse indique reject.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server may only accept unencrypted connections for this user (hostnossl); ask its administrator to allow TLS.</source>
        <translation>Le serveur n&apos;accepte peut-être que des connexions non chiffrées pour cet utilisateur (hostnossl) ; demandez à son administrateur d&apos;autoriser TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect with TLS (sslmode=require or stronger): the server may accept this user only over TLS.</source>
        <translation>Connectez-vous avec TLS (sslmode=require ou plus strict) : le serveur n&apos;accepte peut-être cet utilisateur que par TLS.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server refused the password for user %1.</source>
        <translation>Le serveur a refusé le mot de passe de l&apos;utilisateur %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The password is wrong, the role has no password (or a stale MD5 one after switching to SCRAM), or it expired (VALID UNTIL). The server does not say which; its log does.</source>
        <translation>Le mot de passe est erroné, le rôle n&apos;a pas de mot de passe (ou un ancien mot de passe MD5 après le passage à SCRAM), ou il a expiré (VALID UNTIL). Le serveur ne dit pas lequel ; son journal, si.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the password and where it comes from (see below).</source>
        <translation>Vérifiez le mot de passe et sa provenance (voir ci-dessous).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An administrator can set it again: ALTER ROLE %1 PASSWORD &apos;…&apos;;</source>
        <translation>Un administrateur peut le redéfinir : ALTER ROLE %1 PASSWORD &apos;…&apos;;</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The password came from line %1 of the password file %2.</source>
        <translation>Le mot de passe provient de la ligne %1 du fichier de mots de passe %2.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The database %1 does not exist on this server.</source>
        <translation>La base de données %1 n&apos;existe pas sur ce serveur.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq connects to one database; when dbname is not set it uses the user name.</source>
        <translation>libpq se connecte à une seule base de données ; si dbname n&apos;est pas défini, il utilise le nom d&apos;utilisateur.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set dbname to an existing database (for example dbname=postgres), or create it.</source>
        <translation>Définissez dbname sur une base de données existante (par exemple dbname=postgres), ou créez-la.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The user (role) %1 does not exist on this server.</source>
        <translation>L&apos;utilisateur (rôle) %1 n&apos;existe pas sur ce serveur.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When user is not set, libpq uses your operating-system user name.</source>
        <translation>Si user n&apos;est pas défini, libpq utilise votre nom d&apos;utilisateur du système d&apos;exploitation.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set user to an existing role, or have it created (CREATE ROLE … LOGIN).</source>
        <translation>Définissez user sur un rôle existant, ou faites-le créer (CREATE ROLE … LOGIN).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server has no free connection slot.</source>
        <translation>Le serveur n&apos;a plus d&apos;emplacement de connexion libre.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max_connections is reached (some slots may be reserved for superusers or replication).</source>
        <translation>max_connections est atteint (certains emplacements peuvent être réservés aux superutilisateurs ou à la réplication).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Try again later, close idle sessions, use a connection pooler, or raise max_connections on the server.</source>
        <translation>Réessayez plus tard, fermez les sessions inactives, utilisez un pooler de connexions ou augmentez max_connections sur le serveur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server cannot accept connections right now: %1</source>
        <translation>Le serveur ne peut pas accepter de connexions pour le moment : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It is starting up, shutting down, or a standby in recovery that does not accept connections (hot_standby = off). libpq tries the next host, if any.</source>
        <translation>Il est en cours de démarrage ou d&apos;arrêt, ou c&apos;est un serveur secondaire en restauration qui n&apos;accepte pas de connexions (hot_standby = off). libpq essaie l&apos;hôte suivant, s&apos;il y en a un.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wait and try again, or connect to another server of the cluster.</source>
        <translation>Patientez et réessayez, ou connectez-vous à un autre serveur du cluster.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User %1 may not connect to database %2.</source>
        <translation>L&apos;utilisateur %1 n&apos;a pas le droit de se connecter à la base de données %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The role lacks the CONNECT privilege on this database.</source>
        <translation>Le rôle n&apos;a pas le privilège CONNECT sur cette base de données.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An administrator can grant it: GRANT CONNECT ON DATABASE %1 TO %2;</source>
        <translation>Un administrateur peut l&apos;accorder : GRANT CONNECT ON DATABASE %1 TO %2;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server refused the client certificate for user %1.</source>
        <translation>Le serveur a refusé le certificat client pour l&apos;utilisateur %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>With the cert method (or clientcert=verify-full) the certificate&apos;s common name must equal the user name (or map to it in pg_ident.conf), and it must be issued by a CA in the server&apos;s ssl_ca_file.</source>
        <translation>Avec la méthode cert (ou clientcert=verify-full), le nom commun du certificat doit être égal au nom d&apos;utilisateur (ou lui correspondre dans pg_ident.conf), et le certificat doit être émis par une AC figurant dans le ssl_ca_file du serveur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect as the user the certificate names, or use a certificate whose CN is %1.</source>
        <translation>Connectez-vous avec l&apos;utilisateur mentionné par le certificat, ou utilisez un certificat dont le CN est %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check sslcert and sslkey (see below).</source>
        <translation>Vérifiez sslcert et sslkey (voir ci-dessous).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A client certificate was sent.</source>
        <translation>Un certificat client a été envoyé.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No client certificate was sent.</source>
        <translation>Aucun certificat client n&apos;a été envoyé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused the connection: %1</source>
        <translation>Le serveur a refusé la connexion : %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server&apos;s own message says why; its log may have more detail.</source>
        <translation>Le message du serveur lui-même en donne la raison ; son journal peut contenir plus de détails.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the user, the authentication method in pg_hba.conf and the credentials.</source>
        <translation>Vérifiez l&apos;utilisateur, la méthode d&apos;authentification dans pg_hba.conf et les identifiants.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Client and server have no TLS protocol version in common.</source>
        <translation>Le client et le serveur n&apos;ont aucune version du protocole TLS en commun.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq allows TLS versions from ssl_min_protocol_version (default TLSv1.2) to ssl_max_protocol_version; the server allows its own range (ssl_min_protocol_version and ssl_max_protocol_version in postgresql.conf). The two ranges do not overlap.</source>
        <translation>libpq autorise les versions TLS de ssl_min_protocol_version (TLSv1.2 par défaut) à ssl_max_protocol_version ; le serveur autorise sa propre plage (ssl_min_protocol_version et ssl_max_protocol_version dans postgresql.conf). Les deux plages ne se recoupent pas.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check ssl_min_protocol_version / ssl_max_protocol_version on both sides.</source>
        <translation>Vérifiez ssl_min_protocol_version / ssl_max_protocol_version des deux côtés.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An old server that only speaks TLSv1.0/1.1 should be upgraded; lowering ssl_min_protocol_version is a stopgap that weakens the connection.</source>
        <translation>Un ancien serveur qui ne parle que TLSv1.0/1.1 devrait être mis à niveau ; abaisser ssl_min_protocol_version est un pis-aller qui affaiblit la connexion.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What answered after the SSL request does not speak TLS.</source>
        <translation>Ce qui a répondu après la demande SSL ne parle pas TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bytes that came back are not a TLS handshake: a proxy or another service is listening on that port.</source>
        <translation>Les octets reçus ne sont pas un handshake TLS : un proxy ou un autre service écoute sur ce port.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check host and port; make sure nothing in between terminates or rewrites the connection.</source>
        <translation>Vérifiez l&apos;hôte et le port ; assurez-vous que rien entre les deux ne termine ou ne réécrit la connexion.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server requires a client certificate, and none was sent.</source>
        <translation>Le serveur exige un certificat client, et aucun n&apos;a été envoyé.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server asks for a certificate (ssl_ca_file set and clientcert or the cert method in pg_hba.conf) and refuses the handshake without one.</source>
        <translation>Le serveur demande un certificat (ssl_ca_file défini et clientcert ou la méthode cert dans pg_hba.conf) et refuse le handshake sans certificat.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set sslcert and sslkey to your client certificate and key (or put them at ~/.postgresql/postgresql.crt and postgresql.key).</source>
        <translation>Définissez sslcert et sslkey sur votre certificat client et votre clé (ou placez-les dans ~/.postgresql/postgresql.crt et postgresql.key).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server does not trust the CA that issued your client certificate.</source>
        <translation>Le serveur ne fait pas confiance à l&apos;AC qui a émis votre certificat client.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server checks client certificates against its ssl_ca_file; the issuer of yours is not there.</source>
        <translation>Le serveur vérifie les certificats clients avec son ssl_ca_file ; l&apos;émetteur du vôtre n&apos;y figure pas.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use a client certificate issued by the CA in the server&apos;s ssl_ca_file, or have that CA added there.</source>
        <translation>Utilisez un certificat client émis par l&apos;AC figurant dans le ssl_ca_file du serveur, ou faites-y ajouter cette AC.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server refused your client certificate because it has expired.</source>
        <translation>Le serveur a refusé votre certificat client parce qu&apos;il a expiré.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renew the client certificate.</source>
        <translation>Renouvelez le certificat client.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server refused your client certificate because it is revoked (ssl_crl_file).</source>
        <translation>Le serveur a refusé votre certificat client parce qu&apos;il est révoqué (ssl_crl_file).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get a new client certificate.</source>
        <translation>Procurez-vous un nouveau certificat client.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server rejected the client certificate you sent.</source>
        <translation>Le serveur a rejeté le certificat client que vous avez envoyé.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server rejected the handshake because of a certificate problem.</source>
        <translation>Le serveur a rejeté le handshake à cause d&apos;un problème de certificat.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Possible reasons: it was not issued by a CA in the server&apos;s ssl_ca_file, it is not valid for client authentication (extendedKeyUsage clientAuth), or the chain to the server&apos;s CA is incomplete. The server log names the reason.</source>
        <translation>Raisons possibles : il n&apos;a pas été émis par une AC figurant dans le ssl_ca_file du serveur, il n&apos;est pas valide pour l&apos;authentification client (extendedKeyUsage clientAuth), ou la chaîne jusqu&apos;à l&apos;AC du serveur est incomplète. Le journal du serveur indique la raison.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the client certificate against the server&apos;s ssl_ca_file.</source>
        <translation>Vérifiez le certificat client par rapport au ssl_ca_file du serveur.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server refused the ALPN protocol &quot;postgresql&quot;.</source>
        <translation>Le serveur a refusé le protocole ALPN &quot;postgresql&quot;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A TLS endpoint that expects another protocol (for example HTTP) answered.</source>
        <translation>Un point de terminaison TLS qui attend un autre protocole (par exemple HTTP) a répondu.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check host and port, and sslnegotiation.</source>
        <translation>Vérifiez l&apos;hôte, le port et sslnegotiation.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server aborted the TLS handshake (no common cipher, curve or signature algorithm, or its own configuration problem).</source>
        <translation>Le serveur a interrompu le handshake TLS (aucun algorithme de chiffrement, courbe ou algorithme de signature commun, ou problème dans sa propre configuration).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Look at the server&apos;s log for the reason; check ssl_ciphers and ssl_ecdh_curve there.</source>
        <translation>Consultez le journal du serveur pour connaître la raison ; vérifiez-y ssl_ciphers et ssl_ecdh_curve.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The TLS handshake failed: %1</source>
        <translation>Le handshake TLS a échoué : %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The private key file %1 can be read by other users (mode %2), so libpq refuses to use it.</source>
        <translation>Le fichier de clé privée %1 est lisible par d&apos;autres utilisateurs (mode %2) : libpq refuse donc de l&apos;utiliser.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq requires u=rw (0600) or less for a key owned by you, or u=rw,g=r (0640) or less for a key owned by root.</source>
        <translation>libpq exige u=rw (0600) ou moins pour une clé qui vous appartient, ou u=rw,g=r (0640) ou moins pour une clé appartenant à root.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restrict it: chmod 0600 %1</source>
        <translation>Restreignez-le : chmod 0600 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: mode %2, owner uid %3</source>
        <translation>%1 : mode %2, uid du propriétaire %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A client certificate was found, but not its private key %1.</source>
        <translation>Un certificat client a été trouvé, mais pas sa clé privée %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq uses the client certificate whenever the file exists (also its default ~/.postgresql/postgresql.crt), and then needs the key.</source>
        <translation>libpq utilise le certificat client dès que le fichier existe (y compris son fichier par défaut ~/.postgresql/postgresql.crt), et a alors besoin de la clé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set sslkey to the key file of the certificate.</source>
        <translation>Définissez sslkey sur le fichier de clé du certificat.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If you did not mean to send a client certificate, remove or rename the certificate file, or set sslcertmode=disable.</source>
        <translation>Si vous ne vouliez pas envoyer de certificat client, supprimez ou renommez le fichier de certificat, ou définissez sslcertmode=disable.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The passphrase in sslpassword does not open the encrypted key %1.</source>
        <translation>La phrase secrète de sslpassword n&apos;ouvre pas la clé chiffrée %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key %1 is encrypted, and no passphrase (or a wrong one) was given.</source>
        <translation>La clé %1 est chiffrée, et aucune phrase secrète (ou une phrase erronée) n&apos;a été fournie.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An encrypted private key can only be used with its passphrase (OpenSSL reports &quot;bad decrypt&quot;).</source>
        <translation>Une clé privée chiffrée ne peut être utilisée qu&apos;avec sa phrase secrète (OpenSSL signale &quot;bad decrypt&quot;).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Correct sslpassword.</source>
        <translation>Corrigez sslpassword.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set sslpassword (in a service file or the connection string), or type the passphrase when asked (verifyfull-cli asks on a terminal).</source>
        <translation>Définissez sslpassword (dans un fichier de services ou dans la chaîne de connexion), ou saisissez la phrase secrète quand elle est demandée (verifyfull-cli la demande dans un terminal).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Or store the key unencrypted, readable only by you: openssl pkey -in %1 -out client.key &amp;&amp; chmod 0600 client.key</source>
        <translation>Ou stockez la clé non chiffrée, lisible par vous seul : openssl pkey -in %1 -out client.key &amp;&amp; chmod 0600 client.key</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The private key %1 does not belong to the client certificate.</source>
        <translation>La clé privée %1 ne correspond pas au certificat client.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A certificate and its key are a pair; libpq checks that they match.</source>
        <translation>Un certificat et sa clé forment une paire ; libpq vérifie qu&apos;ils correspondent.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set sslkey to the key the certificate was issued for (or sslcert to the matching certificate).</source>
        <translation>Définissez sslkey sur la clé pour laquelle le certificat a été émis (ou sslcert sur le certificat correspondant).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>libpq cannot use the private key file %1.</source>
        <translation>libpq ne peut pas utiliser le fichier de clé privée %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq reads the key as PEM, or else DER (PKCS#1, SEC1 or PKCS#8).</source>
        <translation>libpq lit la clé au format PEM, ou à défaut DER (PKCS#1, SEC1 ou PKCS#8).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>sslmode=%1 needs root certificates, and without a home directory there is no default root file.</source>
        <translation>sslmode=%1 nécessite des certificats racines, et sans répertoire personnel il n&apos;y a pas de fichier racine par défaut.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>sslmode=%1 checks the server against root certificates, and the root file %2 does not exist.</source>
        <translation>sslmode=%1 vérifie le serveur à l&apos;aide de certificats racines, et le fichier racine %2 n&apos;existe pas.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq stops before the TLS handshake: without trusted roots nothing can be verified.</source>
        <translation>libpq s&apos;arrête avant le handshake TLS : sans racines de confiance, rien ne peut être vérifié.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Get the root certificate of the CA that issued the server&apos;s certificate (from the server&apos;s administrator or your cloud provider) and set sslrootcert to it, or save it as ~/.postgresql/root.crt.</source>
        <translation>Procurez-vous le certificat racine de l&apos;AC qui a émis le certificat du serveur (auprès de l&apos;administrateur du serveur ou de votre fournisseur cloud) et définissez sslrootcert sur ce fichier, ou enregistrez-le sous ~/.postgresql/root.crt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For a server whose certificate comes from a public CA, use sslrootcert=system.</source>
        <translation>Pour un serveur dont le certificat provient d&apos;une AC publique, utilisez sslrootcert=system.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verifyfull-cli inspect shows the chain the server presents.</source>
        <translation>verifyfull-cli inspect affiche la chaîne présentée par le serveur.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq does not expand &quot;~&quot;: write the full path (for example %1).</source>
        <translation>libpq ne développe pas « ~ » : indiquez le chemin complet (par exemple %1).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A relative path is looked up from the current directory: use an absolute path.</source>
        <translation>Un chemin relatif est résolu à partir du répertoire courant : utilisez un chemin absolu.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The root file %1 exists, but OpenSSL cannot read certificates from it.</source>
        <translation>Le fichier racine %1 existe, mais OpenSSL ne parvient pas à y lire de certificats.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq reads sslrootcert as PEM (one or more &quot;BEGIN CERTIFICATE&quot; blocks). Because the file exists, libpq uses it with every sslmode, so every TLS attempt fails.</source>
        <translation>libpq lit sslrootcert au format PEM (un ou plusieurs blocs &quot;BEGIN CERTIFICATE&quot;). Comme le fichier existe, libpq l&apos;utilise quel que soit le sslmode : chaque tentative TLS échoue donc.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replace it with the CA&apos;s root certificate in PEM form.</source>
        <translation>Remplacez-le par le certificat racine de l&apos;AC au format PEM.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>OpenSSL could not load the system&apos;s trusted roots.</source>
        <translation>OpenSSL n&apos;a pas pu charger les racines de confiance du système.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Install the ca-certificates package, or check SSL_CERT_FILE / SSL_CERT_DIR.</source>
        <translation>Installez le paquet ca-certificates, ou vérifiez SSL_CERT_FILE / SSL_CERT_DIR.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The server&apos;s certificate chain did not verify.</source>
        <translation>La chaîne de certificats du serveur n&apos;a pas pu être vérifiée.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server&apos;s certificate chain did not verify: %1 (certificate #%2).</source>
        <translation>La chaîne de certificats du serveur n&apos;a pas pu être vérifiée : %1 (certificat #%2).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq checks the chain against the trusted roots (sslrootcert).</source>
        <translation>libpq vérifie la chaîne par rapport aux racines de confiance (sslrootcert).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run verifyfull-cli inspect to see the chain the server presents.</source>
        <translation>Lancez verifyfull-cli inspect pour voir la chaîne présentée par le serveur.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>channel_binding=require needs TLS, and this connection is not encrypted.</source>
        <translation>channel_binding=require nécessite TLS, et cette connexion n&apos;est pas chiffrée.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use sslmode=verify-full (or require) together with channel_binding=require.</source>
        <translation>Utilisez sslmode=verify-full (ou require) avec channel_binding=require.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server offered channel binding over an unencrypted connection, which a genuine server never does.</source>
        <translation>Le serveur a proposé la liaison de canal sur une connexion non chiffrée, ce que ne fait jamais un serveur authentique.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Someone in between may have stripped TLS from the connection.</source>
        <translation>Quelqu&apos;un entre vous et le serveur a peut-être retiré TLS de la connexion.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use sslmode=verify-full and find out what is between you and the server.</source>
        <translation>Utilisez sslmode=verify-full et déterminez ce qui se trouve entre vous et le serveur.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>channel_binding=require, but the server asked for an authentication method without channel binding.</source>
        <translation>channel_binding=require, mais le serveur a demandé une méthode d&apos;authentification sans liaison de canal.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>channel_binding=require, but the server authenticated with %1, without channel binding.</source>
        <translation>channel_binding=require, mais le serveur s&apos;est authentifié avec %1, sans liaison de canal.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Channel binding needs SCRAM-SHA-256 over TLS (SCRAM-SHA-256-PLUS). The server uses another method for this user (md5, password, trust, cert), the role&apos;s password is stored as MD5, or a connection pooler in between cannot bind.</source>
        <translation>La liaison de canal nécessite SCRAM-SHA-256 sur TLS (SCRAM-SHA-256-PLUS). Le serveur utilise une autre méthode pour cet utilisateur (md5, password, trust, cert), le mot de passe du rôle est stocké en MD5, ou un pooler de connexions intermédiaire ne peut pas effectuer la liaison.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On the server: use scram-sha-256 in pg_hba.conf, set password_encryption = scram-sha-256 and set the password again.</source>
        <translation>Sur le serveur : utilisez scram-sha-256 dans pg_hba.conf, définissez password_encryption = scram-sha-256 et redéfinissez le mot de passe.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Or set channel_binding=prefer (then it is used whenever possible).</source>
        <translation>Ou définissez channel_binding=prefer (elle est alors utilisée dès que possible).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s authentication method is not one require_auth allows.</source>
        <translation>La méthode d&apos;authentification du serveur ne fait pas partie de celles qu&apos;autorise require_auth.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change require_auth, or the method in the server&apos;s pg_hba.conf.</source>
        <translation>Modifiez require_auth, ou la méthode dans le pg_hba.conf du serveur.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sslcertmode=require, but the server never asked for a client certificate.</source>
        <translation>sslcertmode=require, mais le serveur n&apos;a jamais demandé de certificat client.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server only asks when ssl_ca_file is set.</source>
        <translation>Le serveur n&apos;en demande que si ssl_ca_file est défini.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configure ssl_ca_file on the server, or set sslcertmode=allow.</source>
        <translation>Configurez ssl_ca_file sur le serveur, ou définissez sslcertmode=allow.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sslcertmode=require, but no client certificate was sent.</source>
        <translation>sslcertmode=require, mais aucun certificat client n&apos;a été envoyé.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set sslcert and sslkey (or use ~/.postgresql/postgresql.crt and postgresql.key).</source>
        <translation>Définissez sslcert et sslkey (ou utilisez ~/.postgresql/postgresql.crt et postgresql.key).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server asks for a password, and none was given.</source>
        <translation>Le serveur demande un mot de passe, et aucun n&apos;a été fourni.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq takes the password from the password setting, PGPASSWORD, or a matching line of the password file (~/.pgpass, format host:port:database:user:password, mode 0600).</source>
        <translation>libpq prend le mot de passe dans le paramètre password, dans PGPASSWORD ou dans une ligne correspondante du fichier de mots de passe (~/.pgpass, format host:port:database:user:password, mode 0600).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Provide the password (password=…, PGPASSWORD, or a ~/.pgpass line).</source>
        <translation>Fournissez le mot de passe (password=…, PGPASSWORD ou une ligne dans ~/.pgpass).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No line of %1 matches %2:%3:%4:%5.</source>
        <translation>Aucune ligne de %1 ne correspond à %2:%3:%4:%5.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server asks for an authentication method this client cannot perform: %1</source>
        <translation>Le serveur demande une méthode d&apos;authentification que ce client ne sait pas effectuer : %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use another method in pg_hba.conf for this user (scram-sha-256, cert).</source>
        <translation>Utilisez une autre méthode dans pg_hba.conf pour cet utilisateur (scram-sha-256, cert).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The host name %1 does not resolve to an address.</source>
        <translation>Le nom d&apos;hôte %1 ne se résout en aucune adresse.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the spelling of host and your DNS (or /etc/hosts).</source>
        <translation>Vérifiez l&apos;orthographe de host et votre DNS (ou /etc/hosts).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Or keep host for the certificate check and add hostaddr=&lt;IP address&gt;.</source>
        <translation>Ou conservez host pour la vérification du certificat et ajoutez hostaddr=&lt;adresse IP&gt;.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing accepted the connection at %1.</source>
        <translation>Aucun service n&apos;a accepté la connexion sur %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No server listens there: PostgreSQL is not running, listens on another port or address (listen_addresses defaults to localhost only), or a firewall rejects the connection.</source>
        <translation>Aucun serveur n&apos;écoute à cet endroit : PostgreSQL n&apos;est pas démarré, écoute sur un autre port ou une autre adresse (listen_addresses vaut localhost par défaut), ou un pare-feu rejette la connexion.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check that the server is running and listens on port %1 (SHOW port; SHOW listen_addresses;).</source>
        <translation>Vérifiez que le serveur est démarré et écoute sur le port %1 (SHOW port; SHOW listen_addresses;).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check host and port, and any firewall in between.</source>
        <translation>Vérifiez l&apos;hôte et le port, ainsi que tout pare-feu intermédiaire.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server at %1 did not accept the connection in time.</source>
        <translation>Le serveur sur %1 n&apos;a pas accepté la connexion à temps.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the address is right and that no firewall silently drops the packets.</source>
        <translation>Vérifiez que l&apos;adresse est correcte et qu&apos;aucun pare-feu ne rejette silencieusement les paquets.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no server socket at %1.</source>
        <translation>Il n&apos;y a pas de socket de serveur à l&apos;emplacement %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The local server is not running, or it puts its socket in another directory (unix_socket_directories).</source>
        <translation>Le serveur local n&apos;est pas démarré, ou il place son socket dans un autre répertoire (unix_socket_directories).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start the server, or set host to the socket directory it uses, or connect over TCP (host=localhost).</source>
        <translation>Démarrez le serveur, ou définissez host sur le répertoire de socket qu&apos;il utilise, ou connectez-vous en TCP (host=localhost).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The connection to %1 failed: %2</source>
        <translation>La connexion à %1 a échoué : %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check host, port and the network path to the server.</source>
        <translation>Vérifiez l&apos;hôte, le port et le chemin réseau jusqu&apos;au serveur.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The server did not answer in time.</source>
        <translation>Le serveur n&apos;a pas répondu à temps.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server did not answer in time during %1.</source>
        <translation>Le serveur n&apos;a pas répondu à temps pendant la phase %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the server&apos;s load and the network; raise --timeout or connect_timeout if it is just slow.</source>
        <translation>Vérifiez la charge du serveur et le réseau ; augmentez --timeout ou connect_timeout s&apos;il est simplement lent.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A server that never answers the TLS handshake may not be PostgreSQL, or expects sslnegotiation=direct.</source>
        <translation>Un serveur qui ne répond jamais au handshake TLS n&apos;est peut-être pas PostgreSQL, ou attend sslnegotiation=direct.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+416"/>
        <source>The check was canceled.</source>
        <translation>La vérification a été annulée.</translation>
    </message>
    <message>
        <location line="-413"/>
        <source>gssencmode=require cannot work here.</source>
        <translation>gssencmode=require ne peut pas fonctionner ici.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use gssencmode=prefer or disable.</source>
        <translation>Utilisez gssencmode=prefer ou disable.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server did not agree to TLS.</source>
        <translation>Le serveur n&apos;a pas accepté TLS.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing could be inspected: the connection would not be encrypted.</source>
        <translation>Rien n&apos;a pu être inspecté : la connexion n&apos;aurait pas été chiffrée.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable ssl on the server, or check sslmode (disable never uses TLS).</source>
        <translation>Activez ssl sur le serveur, ou vérifiez sslmode (disable n&apos;utilise jamais TLS).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server does not offer TLS at all: it answered &apos;N&apos; to the SSL request.</source>
        <translation>Le serveur ne propose pas du tout TLS : il a répondu &apos;N&apos; à la demande SSL.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ssl is off in the server&apos;s postgresql.conf, or a connection pooler or proxy in between does not do TLS.</source>
        <translation>ssl est désactivé (off) dans le postgresql.conf du serveur, ou un pooler de connexions ou un proxy intermédiaire ne gère pas TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>On the server: set ssl = on with ssl_cert_file and ssl_key_file, then reload.</source>
        <translation>Sur le serveur : définissez ssl = on avec ssl_cert_file et ssl_key_file, puis rechargez la configuration.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With a pooler (for example PgBouncer), enable TLS for clients there.</source>
        <translation>Avec un pooler (par exemple PgBouncer), activez-y TLS pour les clients.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server answered the SSL request with an error instead of TLS.</source>
        <translation>Le serveur a répondu à la demande SSL par une erreur au lieu de TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Try again later and look at the server&apos;s log.</source>
        <translation>Réessayez plus tard et consultez le journal du serveur.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What answered does not speak the PostgreSQL protocol.</source>
        <translation>Ce qui a répondu ne parle pas le protocole PostgreSQL.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check host and port: another service (or a TLS-only proxy) listens there.</source>
        <translation>Vérifiez l&apos;hôte et le port : un autre service (ou un proxy uniquement TLS) écoute à cet endroit.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Data arrived outside TLS right after the server agreed to TLS.</source>
        <translation>Des données sont arrivées hors TLS juste après que le serveur a accepté TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Treat this as an attack (CVE-2021-23222) or a broken proxy: find out what is between you and the server.</source>
        <translation>Traitez ceci comme une attaque (CVE-2021-23222) ou un proxy défaillant : déterminez ce qui se trouve entre vous et le serveur.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>libpq cannot read the client certificate %1.</source>
        <translation>libpq ne parvient pas à lire le certificat client %1.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The server certificate does not name the host you connected to.</source>
        <translation>Le certificat du serveur ne mentionne pas l&apos;hôte auquel vous vous êtes connecté.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server closed the connection during the TLS handshake.</source>
        <translation>Le serveur a fermé la connexion pendant le handshake TLS.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server closed the connection unexpectedly.</source>
        <translation>Le serveur a fermé la connexion de manière inattendue.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Common causes: the server rejected the client certificate (some servers just close), it crashed or was restarted, it hit a limit, or a proxy or firewall cut the connection. The server&apos;s log says which.</source>
        <translation>Causes fréquentes : le serveur a rejeté le certificat client (certains serveurs ferment simplement la connexion), il a planté ou a été redémarré, il a atteint une limite, ou un proxy ou un pare-feu a coupé la connexion. Le journal du serveur indique laquelle.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server asked for a client certificate, and one was sent.</source>
        <translation>Le serveur a demandé un certificat client, et un certificat a été envoyé.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server asked for a client certificate, and none was sent.</source>
        <translation>Le serveur a demandé un certificat client, et aucun n&apos;a été envoyé.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server did not ask for a client certificate.</source>
        <translation>Le serveur n&apos;a pas demandé de certificat client.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look at the server&apos;s log at the time of this attempt.</source>
        <translation>Consultez le journal du serveur au moment de cette tentative.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>With sslnegotiation=direct the server has to agree on ALPN &quot;postgresql&quot;, and it did not.</source>
        <translation>Avec sslnegotiation=direct, le serveur doit accepter l&apos;ALPN &quot;postgresql&quot;, et il ne l&apos;a pas fait.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use sslnegotiation=postgres, or connect to a PostgreSQL 17+ server (or a proxy that supports direct TLS).</source>
        <translation>Utilisez sslnegotiation=postgres, ou connectez-vous à un serveur PostgreSQL 17+ (ou à un proxy qui prend en charge le TLS direct).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server completed the TLS handshake without presenting a certificate.</source>
        <translation>Le serveur a terminé le handshake TLS sans présenter de certificat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq needs the server&apos;s certificate (anonymous cipher suites are not accepted).</source>
        <translation>libpq a besoin du certificat du serveur (les suites de chiffrement anonymes ne sont pas acceptées).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configure ssl_cert_file and ssl_key_file on the server (or the proxy in between).</source>
        <translation>Configurez ssl_cert_file et ssl_key_file sur le serveur (ou sur le proxy intermédiaire).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Channel binding cannot be computed for the server&apos;s certificate.</source>
        <translation>La liaison de canal ne peut pas être calculée pour le certificat du serveur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SCRAM channel binding hashes the server certificate with its signature&apos;s hash algorithm; this certificate&apos;s algorithm has none.</source>
        <translation>La liaison de canal SCRAM hache le certificat du serveur avec l&apos;algorithme de hachage de sa signature ; l&apos;algorithme de ce certificat n&apos;en a pas.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use a server certificate signed with RSA or ECDSA and SHA-256, or set channel_binding=disable for this server.</source>
        <translation>Utilisez un certificat de serveur signé avec RSA ou ECDSA et SHA-256, ou définissez channel_binding=disable pour ce serveur.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The connection failed: %1</source>
        <translation>La connexion a échoué : %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3.</source>
        <translation>Utilisez TLSv1, TLSv1.1, TLSv1.2 ou TLSv1.3.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>sslrootcert is not set, so libpq uses its default file %1</source>
        <translation>sslrootcert n&apos;est pas défini, donc libpq utilise son fichier par défaut %1</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Only the TLS handshake was performed; authentication was not attempted.</source>
        <translation>Seul le handshake TLS a été effectué ; l&apos;authentification n&apos;a pas été tentée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected over a Unix-domain socket: libpq never uses TLS there.</source>
        <translation>Connecté par un socket de domaine Unix : libpq n&apos;y utilise jamais TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The traffic stays inside this computer; the sslmode and certificate settings do not apply to it.</source>
        <translation>Le trafic reste à l&apos;intérieur de cet ordinateur ; les paramètres sslmode et de certificats ne s&apos;y appliquent pas.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Connected WITHOUT encryption: sslmode=disable never uses TLS.</source>
        <translation>Connecté SANS chiffrement : sslmode=disable n&apos;utilise jamais TLS.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connected WITHOUT encryption: sslmode=allow tries TLS only when the server refuses an unencrypted connection.</source>
        <translation>Connecté SANS chiffrement : sslmode=allow n&apos;essaie TLS que si le serveur refuse une connexion non chiffrée.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Connected WITHOUT encryption: the TLS attempt failed and sslmode=%1 silently fell back to plaintext.</source>
        <translation>Connecté SANS chiffrement : la tentative TLS a échoué et sslmode=%1 s&apos;est rabattu silencieusement sur une connexion en clair.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Everything, passwords included, crossed the network unencrypted, and nobody checked who answered.</source>
        <translation>Tout, y compris les mots de passe, a transité sur le réseau sans chiffrement, et personne n&apos;a vérifié qui répondait.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set sslmode=verify-full (or at least require): libpq then refuses to continue without TLS.</source>
        <translation>Définissez sslmode=verify-full (ou au moins require) : libpq refuse alors de continuer sans TLS.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server does not offer TLS: set ssl = on in its postgresql.conf.</source>
        <translation>Le serveur ne propose pas TLS : définissez ssl = on dans son postgresql.conf.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The password (%1) was sent over the unencrypted connection.</source>
        <translation>Le mot de passe (%1) a été envoyé sur la connexion non chiffrée.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use TLS, and scram-sha-256 on the server.</source>
        <translation>Utilisez TLS, et scram-sha-256 sur le serveur.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>a root</source>
        <translation>une racine</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server proved its identity: its chain leads to %1 in %2, and its certificate names %3.</source>
        <translation>Le serveur a prouvé son identité : sa chaîne mène à %1 dans %2, et son certificat mentionne %3.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your sslmode=require behaves as verify-ca because %1 exists: the chain was checked, the host name was not.</source>
        <translation>Votre sslmode=require se comporte comme verify-ca parce que %1 existe : la chaîne a été vérifiée, pas le nom d&apos;hôte.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate chain was verified, but sslmode=%1 does not check the host name.</source>
        <translation>La chaîne de certificats a été vérifiée, mais sslmode=%1 ne vérifie pas le nom d&apos;hôte.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Any server holding a certificate from the same CA would have been accepted.</source>
        <translation>N&apos;importe quel serveur possédant un certificat de la même AC aurait été accepté.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The certificate names %1: set sslmode=verify-full.</source>
        <translation>Le certificat mentionne %1 : définissez sslmode=verify-full.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verify-full would fail here: %1</source>
        <translation>verify-full échouerait ici : %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The connection is encrypted, but the server&apos;s identity was not checked: sslmode=%1 without root certificates accepts any certificate.</source>
        <translation>La connexion est chiffrée, mais l&apos;identité du serveur n&apos;a pas été vérifiée : sslmode=%1 sans certificats racines accepte n&apos;importe quel certificat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A man-in-the-middle presenting its own certificate would not be noticed.</source>
        <translation>Un intermédiaire malveillant (man-in-the-middle) présentant son propre certificat passerait inaperçu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s chain verifies against the system&apos;s trusted roots: use sslrootcert=system (which implies sslmode=verify-full).</source>
        <translation>La chaîne du serveur se vérifie avec les racines de confiance du système : utilisez sslrootcert=system (qui implique sslmode=verify-full).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Get the root certificate %1 (SHA-256 %2) from the server&apos;s administrator, check that fingerprint, save it as ~/.postgresql/root.crt and set sslmode=verify-full.</source>
        <translation>Procurez-vous le certificat racine %1 (SHA-256 %2) auprès de l&apos;administrateur du serveur, vérifiez cette empreinte, enregistrez-le sous ~/.postgresql/root.crt et définissez sslmode=verify-full.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Get the root certificate of %1 (which issued %2), save it as ~/.postgresql/root.crt and set sslmode=verify-full.</source>
        <translation>Procurez-vous le certificat racine de %1 (qui a émis %2), enregistrez-le sous ~/.postgresql/root.crt et définissez sslmode=verify-full.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>SCRAM authentication without channel binding: the server did not offer SCRAM-SHA-256-PLUS (a pooler in between, or the server&apos;s TLS library).</source>
        <translation>Authentification SCRAM sans liaison de canal : le serveur n&apos;a pas proposé SCRAM-SHA-256-PLUS (un pooler intermédiaire, ou la bibliothèque TLS du serveur).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server asked for the password in clear text (method &quot;password&quot;); TLS protected it on the way, but the server sees it. scram-sha-256 is better.</source>
        <translation>Le serveur a demandé le mot de passe en clair (méthode &quot;password&quot;) ; TLS l&apos;a protégé pendant le transit, mais le serveur le voit. scram-sha-256 est préférable.</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>TLS handshake with %1 succeeded: %2, %3.</source>
        <translation>Handshake TLS avec %1 réussi : %2, %3.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected to %1 with %2 (%3) as %4, sslmode=%5.</source>
        <translation>Connecté à %1 avec %2 (%3) en tant que %4, sslmode=%5.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connected to the socket %1 as %2.</source>
        <translation>Connecté au socket %1 en tant que %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected to %1 WITHOUT encryption as %2, sslmode=%3.</source>
        <translation>Connecté à %1 SANS chiffrement en tant que %2, sslmode=%3.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+1"/>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
</context>
<context>
    <name>vf::report::ReportText</name>
    <message>
        <location filename="../core/report/ReportText.cpp" line="+72"/>
        <source>subject</source>
        <translation>sujet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>issuer</source>
        <translation>émetteur</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+117"/>
        <source>valid</source>
        <translation>validité</translation>
    </message>
    <message>
        <location line="-117"/>
        <source>%1 to %2 (%3)</source>
        <translation>du %1 au %2 (%3)</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n day(s) left</source>
        <translation>
            <numerusform>%n jour restant</numerusform>
            <numerusform>%n jours restants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>expired %n day(s) ago</source>
        <translation>
            <numerusform>expiré il y a %n jour</numerusform>
            <numerusform>expiré il y a %n jours</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>names</source>
        <translation>noms</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> bits</source>
        <translation> bits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>key</source>
        <translation>clé</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, CA</source>
        <translation>, AC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>serial</source>
        <translation>n° série</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>ERROR</source>
        <translation>ERREUR</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>WARNING</source>
        <translation>AVERTISSEMENT</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>NOTE</source>
        <translation>REMARQUE</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq: %1</source>
        <translation>libpq : %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Fix: %1</source>
        <translation>Solution : %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seen: %1</source>
        <translation>Constaté : %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>verifyfull-cli %1: %2</source>
        <translation>verifyfull-cli %1 : %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(settings from the environment)</source>
        <translation>(paramètres issus de l&apos;environnement)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>socket %1</source>
        <translation>socket %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2) port %3</source>
        <translation>%1 (%2) port %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 port %2</source>
        <translation>%1 port %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempt %1: %2</source>
        <translation>Tentative %1 : %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+47"/>
        <location line="+61"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>FAILED</source>
        <translation>ÉCHEC</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 try: %2</source>
        <translation>Essai %1 : %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 try (same connection): %2</source>
        <translation>Essai %1 (même connexion) : %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>succeeded</source>
        <translation>réussi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not finished</source>
        <translation>non terminé</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>TLS: %1, %2 (%3 bits), ALPN %4, SNI %5</source>
        <translation>TLS : %1, %2 (%3 bits), ALPN %4, SNI %5</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not sent</source>
        <translation>non envoyé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TLS: handshake not completed</source>
        <translation>TLS : handshake non terminé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Root certificates: %1; CRL checking %2; client certificate %3</source>
        <translation>Certificats racines : %1 ; vérification des CRL : %2 ; certificat client : %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none (the chain is not verified)</source>
        <translation>aucun (la chaîne n&apos;est pas vérifiée)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on</source>
        <translation>activée</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>désactivée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requested and sent</source>
        <translation>demandé et envoyé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requested, none sent</source>
        <translation>demandé, aucun envoyé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not requested</source>
        <translation>non demandé</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>verified against %1</source>
        <translation>vérifiée avec %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not verified by libpq; checked against the system&apos;s trusted roots: %1</source>
        <translation>non vérifiée par libpq ; contrôlée avec les racines de confiance du système : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server certificate chain (%1):</source>
        <translation>Chaîne de certificats du serveur (%1) :</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>expired</source>
        <translation>expiré</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+61"/>
        <source>(from %1) %2</source>
        <translation>(depuis %1) %2</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+61"/>
        <source>trusted</source>
        <translation>de confiance</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+60"/>
        <source>Host name: &quot;%1&quot; matches &quot;%2&quot;</source>
        <translation>Nom d&apos;hôte : &quot;%1&quot; correspond à &quot;%2&quot;</translation>
    </message>
    <message>
        <location line="-59"/>
        <location line="+60"/>
        <source>Host name: &quot;%1&quot; does not match (%2)</source>
        <translation>Nom d&apos;hôte : &quot;%1&quot; ne correspond pas (%2)</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Authentication: %1%2</source>
        <translation>Authentification : %1%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (channel binding)</source>
        <translation> (liaison de canal)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Server: %1; user %2, database %3, backend pid %4</source>
        <translation>Serveur : %1 ; utilisateur %2, base de données %3, PID du backend %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Total: %1</source>
        <translation>Total : %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+45"/>
        <source>Result: %1</source>
        <translation>Résultat : %1</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>Security: %1</source>
        <translation>Sécurité : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+43"/>
        <source>Diagnosis:</source>
        <translation>Diagnostic :</translation>
    </message>
    <message numerus="yes">
        <location line="-35"/>
        <source>Certificates (%n, leaf first):</source>
        <translation>
            <numerusform>Certificats (%n, feuille en premier) :</numerusform>
            <numerusform>Certificats (%n, feuille en premier) :</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not part of the chain</source>
        <translation>hors de la chaîne</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(%1, #%2)</source>
        <translation>(%1, #%2)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Verified against: %1</source>
        <translation>Vérifiée avec : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRL checking: on</source>
        <translation>Vérification des CRL : activée</translation>
    </message>
</context>
<context>
    <name>vf::security::SslMode</name>
    <message>
        <location filename="../core/security/SslMode.cpp" line="+45"/>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Maybe</source>
        <translation>Peut-être</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>safe</source>
        <translation>sûr</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>weak</source>
        <translation>faible</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unsafe</source>
        <translation>non sûr</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>will fail</source>
        <translation>échouera</translation>
    </message>
</context>
<context>
    <name>vf::security::SslModeAssessment</name>
    <message>
        <location filename="../core/security/SslModeAssessment.cpp" line="+28"/>
        <source>Eavesdropping</source>
        <translation>Écoute clandestine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Man-in-the-middle (someone posing as the server)</source>
        <translation>Homme du milieu (quelqu&apos;un se faisant passer pour le serveur)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Being pushed to an unencrypted connection</source>
        <translation>Rétrogradation vers une connexion non chiffrée</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Another server with a certificate from the same CA</source>
        <translation>Un autre serveur avec un certificat de la même AC</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A revoked server certificate</source>
        <translation>Un certificat de serveur révoqué</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>the operating system&apos;s trust store</source>
        <translation>le magasin de confiance du système d&apos;exploitation</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No sslmode was set, and sslrootcert=system makes libpq default to verify-full.</source>
        <translation>Aucun sslmode n&apos;a été défini, et sslrootcert=system fait passer libpq à verify-full par défaut.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No sslmode was set, so libpq uses its default, prefer.</source>
        <translation>Aucun sslmode n&apos;a été défini : libpq utilise donc sa valeur par défaut, prefer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslmode must be one of disable, allow, prefer, require, verify-ca or verify-full, written exactly so (lower case, no spaces). libpq refuses to connect otherwise.</source>
        <translation>sslmode doit valoir disable, allow, prefer, require, verify-ca ou verify-full, écrit exactement ainsi (en minuscules, sans espaces). Sinon, libpq refuse de se connecter.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>sslnegotiation must be postgres (the default) or direct.</source>
        <translation>sslnegotiation doit valoir postgres (la valeur par défaut) ou direct.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set sslnegotiation=postgres (the default).</source>
        <translation>Définissez sslnegotiation=postgres (la valeur par défaut).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Direct TLS negotiation cannot fall back to an unencrypted connection, so libpq only accepts it with an sslmode that requires encryption.</source>
        <translation>La négociation TLS directe ne peut pas se rabattre sur une connexion non chiffrée : libpq ne l&apos;accepte donc qu&apos;avec un sslmode qui exige le chiffrement.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Or set sslnegotiation=postgres to keep sslmode=%1.</source>
        <translation>Ou définissez sslnegotiation=postgres pour conserver sslmode=%1.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The system&apos;s trusted CAs sign certificates for anyone on the internet, so a check without the host name would accept any of them. libpq only allows sslrootcert=system with verify-full.</source>
        <translation>Les AC de confiance du système signent des certificats pour n&apos;importe qui sur Internet : une vérification sans le nom d&apos;hôte accepterait donc n&apos;importe lequel d&apos;entre eux. libpq n&apos;autorise sslrootcert=system qu&apos;avec verify-full.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>gssencmode must be disable, prefer or require.</source>
        <translation>gssencmode doit valoir disable, prefer ou require.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set gssencmode=prefer (libpq&apos;s default).</source>
        <translation>Définissez gssencmode=prefer (la valeur par défaut de libpq).</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>gssencmode=require cannot work over a Unix-domain socket.</source>
        <translation>gssencmode=require ne peut pas fonctionner sur un socket de domaine Unix.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set gssencmode=prefer, or connect over TCP with the server&apos;s host name.</source>
        <translation>Définissez gssencmode=prefer, ou connectez-vous en TCP avec le nom d&apos;hôte du serveur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This is a Unix-domain socket connection: libpq never uses TLS over a local socket, even with sslmode=%1, and connects without encryption.</source>
        <translation>Il s&apos;agit d&apos;une connexion par socket de domaine Unix : libpq n&apos;utilise jamais TLS sur un socket local, même avec sslmode=%1, et se connecte sans chiffrement.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The traffic is not encrypted, but it does not leave this machine: only someone with access to this machine could read it.</source>
        <translation>Le trafic n&apos;est pas chiffré, mais il ne quitte pas cette machine : seule une personne ayant accès à cette machine pourrait le lire.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No certificate is checked over a local socket: any process that can create the socket file could pose as the server. requirepeer makes libpq check the operating-system user running the server.</source>
        <translation>Aucun certificat n&apos;est vérifié sur un socket local : tout processus capable de créer le fichier de socket pourrait se faire passer pour le serveur. requirepeer fait vérifier par libpq l&apos;utilisateur du système d&apos;exploitation qui exécute le serveur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>To use TLS, connect over TCP: set host to the server&apos;s name instead of a socket directory.</source>
        <translation>Pour utiliser TLS, connectez-vous en TCP : définissez host avec le nom du serveur au lieu d&apos;un répertoire de socket.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Or set requirepeer to the operating-system user that runs the server (usually postgres).</source>
        <translation>Ou définissez requirepeer avec l&apos;utilisateur du système d&apos;exploitation qui exécute le serveur (généralement postgres).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>gssencmode=require: libpq encrypts with GSSAPI (Kerberos) and never tries TLS, so sslmode=%1 and the certificate settings are not used.</source>
        <translation>gssencmode=require : libpq chiffre avec GSSAPI (Kerberos) et n&apos;essaie jamais TLS ; sslmode=%1 et les paramètres de certificats ne sont donc pas utilisés.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq connects only if the server encrypts the connection with GSSAPI.</source>
        <translation>libpq ne se connecte que si le serveur chiffre la connexion avec GSSAPI.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kerberos authenticates the server (mutual authentication); no certificate is involved.</source>
        <translation>Kerberos authentifie le serveur (authentification mutuelle) ; aucun certificat n&apos;intervient.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Without GSSAPI encryption libpq refuses to connect.</source>
        <translation>Sans chiffrement GSSAPI, libpq refuse de se connecter.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This needs a Kerberos ticket; without one libpq fails with &quot;GSSAPI encryption required but no credential cache&quot;.</source>
        <translation>Un ticket Kerberos est nécessaire ; sans ticket, libpq échoue avec &quot;GSSAPI encryption required but no credential cache&quot;.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>sslmode=disable never uses TLS: everything, passwords included, crosses the network unencrypted.</source>
        <translation>sslmode=disable n&apos;utilise jamais TLS : tout, y compris les mots de passe, transite sur le réseau sans chiffrement.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing is encrypted: anyone on the network path can read the traffic.</source>
        <translation>Rien n&apos;est chiffré : n&apos;importe qui sur le chemin réseau peut lire le trafic.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+144"/>
        <source>The server is not checked at all: anyone who can intercept the connection can pose as the server.</source>
        <translation>Le serveur n&apos;est pas vérifié du tout : quiconque peut intercepter la connexion peut se faire passer pour le serveur.</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>%1 needs the CA&apos;s root certificate, and without a home directory there is no default root file. Set sslrootcert.</source>
        <translation>%1 a besoin du certificat racine de l&apos;AC, et sans répertoire personnel il n&apos;y a pas de fichier racine par défaut. Définissez sslrootcert.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 checks the server&apos;s certificate against your CA&apos;s root certificate, and there is none at %2. libpq stops before the TLS handshake.</source>
        <translation>%1 vérifie le certificat du serveur avec le certificat racine de votre AC, et il n&apos;y en a aucun à l&apos;emplacement %2. libpq s&apos;arrête avant le handshake TLS.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The root certificate file exists but holds no certificate OpenSSL can read (it must be PEM). Because it exists, libpq uses it even with sslmode=%1, and every TLS attempt fails.</source>
        <translation>Le fichier de certificats racines existe mais ne contient aucun certificat lisible par OpenSSL (il doit être au format PEM). Comme il existe, libpq l&apos;utilise même avec sslmode=%1, et chaque tentative TLS échoue.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>verify-full compares the server&apos;s certificate with the host name, and only hostaddr is set. Set host to the name in the certificate (hostaddr can stay).</source>
        <translation>verify-full compare le certificat du serveur avec le nom d&apos;hôte, et seul hostaddr est défini. Définissez host avec le nom figurant dans le certificat (hostaddr peut rester).</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Check sslcrl/sslcrldir: the CRL could not be loaded, so revoked certificates are accepted.</source>
        <translation>Vérifiez sslcrl/sslcrldir : la CRL n&apos;a pas pu être chargée, donc les certificats révoqués sont acceptés.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>sslrootcert=system: libpq trusts the certificate authorities of the operating system (OpenSSL&apos;s default paths; SSL_CERT_FILE and SSL_CERT_DIR change them).</source>
        <translation>sslrootcert=system : libpq fait confiance aux autorités de certification du système d&apos;exploitation (chemins par défaut d&apos;OpenSSL ; SSL_CERT_FILE et SSL_CERT_DIR les modifient).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>allow first connects without encryption and tries TLS only if the server rejects the unencrypted connection; most servers accept it, so the session is usually unencrypted.</source>
        <translation>allow se connecte d&apos;abord sans chiffrement et n&apos;essaie TLS que si le serveur rejette la connexion non chiffrée ; la plupart des serveurs l&apos;acceptent, la session n&apos;est donc généralement pas chiffrée.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>prefer tries TLS first, but silently connects without encryption when the server does not offer TLS or the TLS attempt fails.</source>
        <translation>prefer essaie d&apos;abord TLS, mais se connecte silencieusement sans chiffrement si le serveur ne propose pas TLS ou si la tentative TLS échoue.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>require behaves as verify-ca here because a root file exists: %1</source>
        <translation>require se comporte ici comme verify-ca car un fichier racine existe : %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No root certificate file exists (%1), so require accepts any certificate the server presents.</source>
        <translation>Aucun fichier de certificats racines n&apos;existe (%1) : require accepte donc n&apos;importe quel certificat présenté par le serveur.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>verify-ca checks that the server&apos;s certificate was issued by a CA in %1, but not which host it was issued for.</source>
        <translation>verify-ca vérifie que le certificat du serveur a été émis par une AC présente dans %1, mais pas pour quel hôte il a été émis.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>verify-full checks that the server&apos;s certificate was issued by a CA in %1 and names the host you connect to.</source>
        <translation>verify-full vérifie que le certificat du serveur a été émis par une AC présente dans %1 et qu&apos;il mentionne l&apos;hôte auquel vous vous connectez.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The root certificate file %1 cannot be loaded (%2), so every TLS attempt fails and %3 connects without encryption.</source>
        <translation>Le fichier de certificats racines %1 ne peut pas être chargé (%2) : chaque tentative TLS échoue donc, et %3 se connecte sans chiffrement.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A root certificate file exists (%1), so %2 also checks the server&apos;s certificate chain when it uses TLS; if that check fails, it silently retries without encryption.</source>
        <translation>Un fichier de certificats racines existe (%1) : %2 vérifie donc aussi la chaîne de certificats du serveur lorsqu&apos;il utilise TLS ; si cette vérification échoue, il réessaie silencieusement sans chiffrement.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Every TLS attempt fails, so the connection is unencrypted.</source>
        <translation>Chaque tentative TLS échoue : la connexion n&apos;est donc pas chiffrée.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The connection is encrypted only if the server insists on TLS.</source>
        <translation>La connexion n&apos;est chiffrée que si le serveur exige TLS.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection is encrypted only if TLS works; otherwise libpq silently continues without encryption.</source>
        <translation>La connexion n&apos;est chiffrée que si TLS fonctionne ; sinon, libpq continue silencieusement sans chiffrement.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The certificate is checked when TLS is used, but an attacker can simply refuse TLS and libpq connects to them without encryption.</source>
        <translation>Le certificat est vérifié lorsque TLS est utilisé, mais un attaquant peut simplement refuser TLS, et libpq se connecte alors à lui sans chiffrement.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No certificate is checked, and an attacker can also refuse TLS: anyone who can intercept the connection can pose as the server.</source>
        <translation>Aucun certificat n&apos;est vérifié, et un attaquant peut aussi refuser TLS : quiconque peut intercepter la connexion peut se faire passer pour le serveur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 accepts an unencrypted connection, so an attacker can switch encryption off.</source>
        <translation>%1 accepte une connexion non chiffrée : un attaquant peut donc désactiver le chiffrement.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>libpq refuses to connect without TLS, so the traffic is always encrypted.</source>
        <translation>libpq refuse de se connecter sans TLS : le trafic est donc toujours chiffré.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Any certificate is accepted: someone who can intercept the connection can present their own and read everything.</source>
        <translation>N&apos;importe quel certificat est accepté : quiconque peut intercepter la connexion peut présenter le sien et tout lire.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Depends on CA policy: the certificate must be issued by a CA in %1, but for any host. Safe only if that CA issues certificates to nobody but your servers.</source>
        <translation>Dépend de la politique de l&apos;AC : le certificat doit être émis par une AC présente dans %1, mais pour n&apos;importe quel hôte. Sûr uniquement si cette AC n&apos;émet de certificats que pour vos serveurs.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate must be issued by a CA in %1 and name the host you connect to.</source>
        <translation>Le certificat doit être émis par une AC présente dans %1 et mentionner l&apos;hôte auquel vous vous connectez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 never falls back to an unencrypted connection.</source>
        <translation>%1 ne se rabat jamais sur une connexion non chiffrée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <source>No certificate is checked at all.</source>
        <translation>Aucun certificat n&apos;est vérifié.</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>The host name is not checked: a certificate your CA issued for another server is accepted.</source>
        <translation>Le nom d&apos;hôte n&apos;est pas vérifié : un certificat émis par votre AC pour un autre serveur est accepté.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate must name the host you connect to.</source>
        <translation>Le certificat doit mentionner l&apos;hôte auquel vous vous connectez.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>libpq loads no CRL with sslrootcert=system, so revocation is not checked.</source>
        <translation>libpq ne charge aucune CRL avec sslrootcert=system : la révocation n&apos;est donc pas vérifiée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificates are checked against the loaded CRL.</source>
        <translation>Les certificats sont vérifiés par rapport à la CRL chargée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No CRL is loaded, so a revoked certificate is accepted.</source>
        <translation>Aucune CRL n&apos;est chargée : un certificat révoqué est donc accepté.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>sslnegotiation=direct starts the TLS handshake at once, without asking the server first; the server must be PostgreSQL 17 or later.</source>
        <translation>sslnegotiation=direct démarre immédiatement le handshake TLS, sans interroger d&apos;abord le serveur ; le serveur doit être PostgreSQL 17 ou ultérieur.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq does not load CRLs with sslrootcert=system: sslcrl and sslcrldir are ignored.</source>
        <translation>libpq ne charge pas de CRL avec sslrootcert=system : sslcrl et sslcrldir sont ignorés.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Revocation is checked with %1. libpq then needs a CRL for every CA in the chain; a missing one fails verification (&quot;unable to get certificate CRL&quot;).</source>
        <translation>La révocation est vérifiée avec %1. libpq a alors besoin d&apos;une CRL pour chaque AC de la chaîne ; s&apos;il en manque une, la vérification échoue (&quot;unable to get certificate CRL&quot;).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The CRL file %1 could not be loaded: libpq then silently skips revocation checks, and ignores sslcrldir too.</source>
        <translation>Le fichier CRL %1 n&apos;a pas pu être chargé : libpq ignore alors silencieusement la vérification de révocation, ainsi que sslcrldir.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The CRL %1 could not be loaded: libpq then silently skips revocation checks.</source>
        <translation>La CRL %1 n&apos;a pas pu être chargée : libpq ignore alors silencieusement la vérification de révocation.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>gssencmode=prefer: if you have a Kerberos ticket and the server accepts GSSAPI encryption, libpq uses that instead of TLS, and these TLS settings are not used. Set gssencmode=disable to make sure TLS is used.</source>
        <translation>gssencmode=prefer : si vous avez un ticket Kerberos et que le serveur accepte le chiffrement GSSAPI, libpq l&apos;utilise à la place de TLS, et ces paramètres TLS ne sont pas utilisés. Définissez gssencmode=disable pour garantir l&apos;utilisation de TLS.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Set %1.</source>
        <translation>Définissez %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Replace %1 with a PEM file holding your CA&apos;s root certificate, or use sslrootcert=system for a public CA.</source>
        <translation>Remplacez %1 par un fichier PEM contenant le certificat racine de votre AC, ou utilisez sslrootcert=system pour une AC publique.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Point sslrootcert at your CA&apos;s root certificate, or use sslrootcert=system for a public CA.</source>
        <translation>Faites pointer sslrootcert vers le certificat racine de votre AC, ou utilisez sslrootcert=system pour une AC publique.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Set host to the server&apos;s name as written in its certificate (hostaddr can stay, it saves the DNS lookup).</source>
        <translation>Définissez host avec le nom du serveur tel qu&apos;il figure dans son certificat (hostaddr peut rester : il évite la résolution DNS).</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>invalid sslmode: %1</source>
        <translation>sslmode non valide : %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (GSSAPI encryption instead of TLS)</source>
        <translation>%1 (chiffrement GSSAPI au lieu de TLS)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 behaves as %2</source>
        <translation>%1 se comporte comme %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Fails: %1</source>
        <translation>Échoue : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2 (%3)</source>
        <translation>%1 : %2 (%3)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>[can be applied now: %1=%2]</source>
        <translation>[applicable immédiatement : %1=%2]</translation>
    </message>
</context>
<context>
    <name>vf::security::SslModeTable</name>
    <message>
        <location filename="../core/security/SslModeTable.cpp" line="+15"/>
        <location line="+1"/>
        <location line="+6"/>
        <location line="+9"/>
        <location line="+10"/>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>I don&apos;t care about security, and I don&apos;t want to pay the overhead of encryption.</source>
        <translation>La sécurité m&apos;est indifférente, et je ne veux pas payer le surcoût du chiffrement.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+9"/>
        <source>Maybe</source>
        <translation>Peut-être</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>I don&apos;t care about security, but I will pay the overhead of encryption if the server insists on it.</source>
        <translation>La sécurité m&apos;est indifférente, mais j&apos;accepte de payer le surcoût du chiffrement si le serveur l&apos;exige.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq first connects without encryption and uses TLS only if the server refuses that.</source>
        <translation>libpq se connecte d&apos;abord sans chiffrement et n&apos;utilise TLS que si le serveur refuse cette connexion.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>I don&apos;t care about encryption, but I wish to pay the overhead of encryption if the server supports it.</source>
        <translation>Le chiffrement m&apos;est indifférent, mais je souhaite payer le surcoût du chiffrement si le serveur le prend en charge.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq&apos;s default. It silently connects without encryption when TLS is not available or fails, so an attacker on the network can simply switch encryption off.</source>
        <translation>Valeur par défaut de libpq. Ce mode se connecte silencieusement sans chiffrement si TLS n&apos;est pas disponible ou échoue : un attaquant sur le réseau peut donc simplement désactiver le chiffrement.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+11"/>
        <location line="+10"/>
        <location line="+1"/>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>I want my data to be encrypted, and I accept the overhead. I trust that the network will make sure I always connect to the server I want.</source>
        <translation>Je veux que mes données soient chiffrées, et j&apos;en accepte le surcoût. Je fais confiance au réseau pour garantir que je me connecte toujours au serveur voulu.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Any server certificate is accepted, unless a root certificate file exists: then require checks the certificate chain like verify-ca.</source>
        <translation>N&apos;importe quel certificat de serveur est accepté, sauf si un fichier de certificats racines existe : require vérifie alors la chaîne de certificats comme verify-ca.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Depends on CA policy</source>
        <translation>Dépend de la politique de l&apos;AC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I want my data encrypted, and I accept the overhead. I want to be sure that I connect to a server that I trust.</source>
        <translation>Je veux que mes données soient chiffrées, et j&apos;en accepte le surcoût. Je veux être sûr de me connecter à un serveur en qui j&apos;ai confiance.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate must come from a CA you trust, but it may have been issued for another server. Enough only if your own CA issues certificates to nobody else.</source>
        <translation>Le certificat doit provenir d&apos;une AC de confiance, mais il peut avoir été émis pour un autre serveur. Suffisant seulement si votre propre AC n&apos;émet de certificats pour personne d&apos;autre.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>I want my data encrypted, and I accept the overhead. I want to be sure that I connect to a server I trust, and that it&apos;s the one I specify.</source>
        <translation>Je veux que mes données soient chiffrées, et j&apos;en accepte le surcoût. Je veux être sûr de me connecter à un serveur en qui j&apos;ai confiance, et que c&apos;est bien celui que j&apos;ai indiqué.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate must come from a CA you trust and name the host you connect to.</source>
        <translation>Le certificat doit provenir d&apos;une AC de confiance et mentionner l&apos;hôte auquel vous vous connectez.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Eavesdropping protection</source>
        <translation>Protection contre l&apos;écoute clandestine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MITM protection</source>
        <translation>Protection contre l&apos;homme du milieu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Statement</source>
        <translation>Déclaration</translation>
    </message>
</context>
<context>
    <name>vf::session::ConnectionTester</name>
    <message>
        <location filename="../core/session/ConnectionTester.cpp" line="+132"/>
        <source>The name %1 does not resolve here: check its spelling and your DNS, or use hostaddr with its IP address.</source>
        <translation>Le nom %1 ne se résout pas ici : vérifiez son orthographe et votre DNS, ou utilisez hostaddr avec son adresse IP.</translation>
    </message>
    <message>
        <location line="+203"/>
        <source>Nothing accepted the connection: the server is down, listens on another port or address (listen_addresses), or a firewall blocks it.</source>
        <translation>Rien n&apos;a accepté la connexion : le serveur est arrêté, écoute sur un autre port ou une autre adresse (listen_addresses), ou un pare-feu la bloque.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The name lookup did not finish in time.</source>
        <translation>La résolution du nom ne s&apos;est pas terminée à temps.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server did not accept the TCP connection in time: a firewall may be dropping packets.</source>
        <translation>Le serveur n&apos;a pas accepté la connexion TCP à temps : un pare-feu rejette peut-être silencieusement les paquets.</translation>
    </message>
</context>
<context>
    <name>vf::session::Phase</name>
    <message>
        <location filename="../core/session/ProtocolMachine.cpp" line="+225"/>
        <source>DNS</source>
        <translation>DNS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TCP connect</source>
        <translation>connexion TCP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SSL negotiation</source>
        <translation>négociation SSL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS handshake</source>
        <translation>handshake TLS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>startup</source>
        <translation>démarrage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>authentication</source>
        <translation>authentification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>query</source>
        <translation>requête</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>terminate</source>
        <translation>fin de session</translation>
    </message>
</context>
<context>
    <name>vf::session::ProtocolMachine</name>
    <message>
        <location line="-142"/>
        <source>The server sent a message whose length word is impossible (or larger than VerifyFull holds): it is not a PostgreSQL server, or the stream is corrupted.</source>
        <translation>Le serveur a envoyé un message dont le champ de longueur est impossible (ou dépasse ce que VerifyFull peut contenir) : ce n&apos;est pas un serveur PostgreSQL, ou le flux est corrompu.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The server answered the startup message with a protocol negotiation that makes no sense for protocol 3.0: it is not a PostgreSQL server, or a proxy in between is broken.</source>
        <translation>Le serveur a répondu au message de démarrage par une négociation de protocole qui n&apos;a pas de sens pour le protocole 3.0 : ce n&apos;est pas un serveur PostgreSQL, ou un proxy intermédiaire est défaillant.</translation>
    </message>
    <message>
        <location line="+321"/>
        <source>The server answered &apos;N&apos; to the SSL request: ssl is off on the server, or a proxy in between does not speak TLS.</source>
        <translation>Le serveur a répondu &apos;N&apos; à la demande SSL : ssl est désactivé (off) sur le serveur, ou un proxy intermédiaire ne parle pas TLS.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server refused the SSL request with an error before TLS started (often too many connections, or the server is starting up). libpq does not show that error&apos;s text, since it is not authenticated.</source>
        <translation>Le serveur a refusé la demande SSL par une erreur avant le début de TLS (souvent trop de connexions, ou le serveur est en cours de démarrage). libpq n&apos;affiche pas le texte de cette erreur, car il n&apos;est pas authentifié.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Whatever answered is not a PostgreSQL server, or something between you is not passing the PostgreSQL protocol through.</source>
        <translation>Ce qui a répondu n&apos;est pas un serveur PostgreSQL, ou quelque chose entre vous et le serveur ne laisse pas passer le protocole PostgreSQL.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Bytes arrived right after the server&apos;s &apos;S&apos; answer, outside TLS. This is how a man-in-the-middle injects data (CVE-2021-23222); libpq refuses the connection.</source>
        <translation>Des octets sont arrivés juste après la réponse &apos;S&apos; du serveur, hors TLS. C&apos;est ainsi qu&apos;un intermédiaire malveillant (man-in-the-middle) injecte des données (CVE-2021-23222) ; libpq refuse la connexion.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>The server&apos;s authentication request has an impossible length: it is not a PostgreSQL server, or the stream is corrupted.</source>
        <translation>La demande d&apos;authentification du serveur a une longueur impossible : ce n&apos;est pas un serveur PostgreSQL, ou le flux est corrompu.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server&apos;s protocol negotiation message has an impossible length: it is not a PostgreSQL server.</source>
        <translation>Le message de négociation de protocole du serveur a une longueur impossible : ce n&apos;est pas un serveur PostgreSQL.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server sent an error message without an end: it is not a PostgreSQL server.</source>
        <translation>Le serveur a envoyé un message d&apos;erreur non terminé : ce n&apos;est pas un serveur PostgreSQL.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server answered with an error in the pre-7.4 protocol (or a corrupt error message); libpq shows its raw text.</source>
        <translation>Le serveur a répondu par une erreur dans le protocole antérieur à la version 7.4 (ou par un message d&apos;erreur corrompu) ; libpq en affiche le texte brut.</translation>
    </message>
    <message>
        <location line="+170"/>
        <source>The server asks for a password and none was given: set it in the profile, PGPASSWORD or ~/.pgpass.</source>
        <translation>Le serveur demande un mot de passe et aucun n&apos;a été fourni : définissez-le dans le profil, dans PGPASSWORD ou dans ~/.pgpass.</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The server wants Kerberos (gss) authentication, which VerifyFull does not perform.</source>
        <translation>Le serveur demande une authentification Kerberos (gss), que VerifyFull n&apos;effectue pas.</translation>
    </message>
    <message>
        <location line="+140"/>
        <source>The server closed the connection.</source>
        <translation>Le serveur a fermé la connexion.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The server did not answer in time during %1.</source>
        <translation>Le serveur n&apos;a pas répondu à temps pendant la phase %1.</translation>
    </message>
</context>
<context>
    <name>vf::settings::ConnInfoParser</name>
    <message>
        <location filename="../core/settings/ConnInfoParser.cpp" line="+71"/>
        <source>libpq reads a connection string as a C string, so it would silently ignore everything after the NUL. Remove the NUL character.</source>
        <translation>libpq lit une chaîne de connexion comme une chaîne C : il ignorerait donc silencieusement tout ce qui suit le caractère NUL. Supprimez le caractère NUL.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>libpq does not know this keyword. Check its spelling (keywords are lower case) against the list of connection parameters.</source>
        <translation>libpq ne connaît pas ce mot-clé. Vérifiez son orthographe (les mots-clés sont en minuscules) dans la liste des paramètres de connexion.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Every parameter needs the form keyword=value. To give a value that contains spaces, put it in single quotes: keyword=&apos;a value&apos;.</source>
        <translation>Chaque paramètre doit avoir la forme mot-clé=valeur. Pour indiquer une valeur contenant des espaces, placez-la entre apostrophes : keyword=&apos;a value&apos;.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A value opened with a single quote has no closing quote. Add the closing &apos; and write a quote inside a value as \&apos;.</source>
        <translation>Une valeur ouverte par une apostrophe n&apos;a pas d&apos;apostrophe fermante. Ajoutez le &apos; fermant, et écrivez une apostrophe à l&apos;intérieur d&apos;une valeur sous la forme \&apos;.</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>An IPv6 address in a URI is written in square brackets, and the closing ] is missing.</source>
        <translation>Dans une URI, une adresse IPv6 s&apos;écrit entre crochets, et le ] fermant manque.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The square brackets for an IPv6 address are empty. Put the address between them, e.g. [::1], or remove them.</source>
        <translation>Les crochets d&apos;une adresse IPv6 sont vides. Placez l&apos;adresse entre eux, par exemple [::1], ou supprimez-les.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>After the ] of an IPv6 address a URI continues with :port, /dbname, ?parameters or a comma and the next host.</source>
        <translation>Après le ] d&apos;une adresse IPv6, une URI se poursuit par :port, /dbname, ?paramètres ou une virgule suivie de l&apos;hôte suivant.</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>A query parameter has more than one &apos;=&apos;. Write an &apos;=&apos; inside a value as %3D.</source>
        <translation>Un paramètre de requête contient plus d&apos;un &apos;=&apos;. Écrivez un &apos;=&apos; à l&apos;intérieur d&apos;une valeur sous la forme %3D.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Every query parameter needs the form keyword=value, and parameters are separated by &apos;&amp;&apos;. Write an &apos;&amp;&apos; inside a value as %26.</source>
        <translation>Chaque paramètre de requête doit avoir la forme mot-clé=valeur, et les paramètres sont séparés par &apos;&amp;&apos;. Écrivez un &apos;&amp;&apos; à l&apos;intérieur d&apos;une valeur sous la forme %26.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>libpq does not know this query parameter. Check its spelling against the list of connection parameters.</source>
        <translation>libpq ne connaît pas ce paramètre de requête. Vérifiez son orthographe dans la liste des paramètres de connexion.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>In a URI a &apos;%&apos; must be followed by two hexadecimal digits. Write a literal &apos;%&apos; as %25.</source>
        <translation>Dans une URI, un &apos;%&apos; doit être suivi de deux chiffres hexadécimaux. Écrivez un &apos;%&apos; littéral sous la forme %25.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%00 would put a NUL byte into a value, which libpq cannot pass on. Remove it.</source>
        <translation>%00 placerait un octet NUL dans une valeur, ce que libpq ne peut pas transmettre. Supprimez-le.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A URI cannot contain a blank inside a value. Write each space as %20 (libpq 17 and later drop blanks at either end of a value and refuse the others).</source>
        <translation>Une URI ne peut pas contenir d&apos;espace à l&apos;intérieur d&apos;une valeur. Écrivez chaque espace sous la forme %20 (libpq 17 et ultérieur supprime les espaces aux extrémités d&apos;une valeur et refuse les autres).</translation>
    </message>
</context>
<context>
    <name>vf::settings::EffectiveSettings</name>
    <message>
        <location filename="../core/settings/EffectiveSettings.cpp" line="+22"/>
        <source>(not set)</source>
        <translation>(non défini)</translation>
    </message>
</context>
<context>
    <name>vf::settings::OptionValidator</name>
    <message>
        <location filename="../core/settings/OptionValidator.cpp" line="+39"/>
        <source> (%1 is &quot;%2&quot;, %3)</source>
        <translation> (%1 vaut « %2 », %3)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>libpq does not accept this value%1. Allowed values: %2 (exact, lower case).</source>
        <translation>libpq n&apos;accepte pas cette valeur%1. Valeurs autorisées : %2 (exactement ainsi, en minuscules).</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>require_auth is either a list of methods to allow (scram-sha-256,md5) or a list of methods to forbid, each with &quot;!&quot; (!password,!md5), never both%1.</source>
        <translation>require_auth est soit une liste de méthodes à autoriser (scram-sha-256,md5), soit une liste de méthodes à interdire, chacune précédée de &quot;!&quot; (!password,!md5), jamais les deux%1.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Once the first require_auth method starts with &quot;!&quot;, every method must: the list says which methods to forbid%1.</source>
        <translation>Dès que la première méthode de require_auth commence par &quot;!&quot;, toutes les méthodes doivent en faire autant : la liste indique les méthodes à interdire%1.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>require_auth is a comma-separated list of password, md5, gss, sspi, scram-sha-256, oauth and none, optionally all prefixed with &quot;!&quot;%1.</source>
        <translation>require_auth est une liste, séparée par des virgules, de password, md5, gss, sspi, scram-sha-256, oauth et none, éventuellement toutes précédées de &quot;!&quot;%1.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>libpq refuses a repeated require_auth method because it usually hides a typo. List each method once%1.</source>
        <translation>libpq refuse une méthode require_auth répétée, car elle cache généralement une faute de frappe. Indiquez chaque méthode une seule fois%1.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>host and hostaddr are parallel lists: give exactly one host name per hostaddr entry, in the same order (host%1; hostaddr%2).</source>
        <translation>host et hostaddr sont des listes parallèles : indiquez exactement un nom d&apos;hôte par entrée de hostaddr, dans le même ordre (host%1 ; hostaddr%2).</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Give either one port for all hosts or exactly one port per host, in the same order%1.</source>
        <translation>Indiquez soit un port pour tous les hôtes, soit exactement un port par hôte, dans le même ordre%1.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Direct TLS would silently fall back to plaintext on servers older than 17 with this sslmode, so libpq refuses it. Set sslmode=verify-full (or require), or remove sslnegotiation=direct%1.</source>
        <translation>Avec ce sslmode, le TLS direct se rabattrait silencieusement sur une connexion en clair avec les serveurs antérieurs à la version 17 : libpq le refuse donc. Définissez sslmode=verify-full (ou require), ou supprimez sslnegotiation=direct%1.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The system&apos;s trusted roots vouch for any public host name, so they are only safe when the host name is checked too. Set sslmode=verify-full, or point sslrootcert at your own CA file%1.</source>
        <translation>Les racines de confiance du système se portent garantes de n&apos;importe quel nom d&apos;hôte public : elles ne sont donc sûres que si le nom d&apos;hôte est aussi vérifié. Définissez sslmode=verify-full, ou faites pointer sslrootcert vers le fichier de votre propre AC%1.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Allowed values are TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3 (any case), or empty for no bound%1.</source>
        <translation>Les valeurs autorisées sont TLSv1, TLSv1.1, TLSv1.2 et TLSv1.3 (majuscules ou minuscules), ou vide pour aucune limite%1.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ssl_min_protocol_version (%1) is newer than ssl_max_protocol_version (%2), so no TLS version is left. Raise the maximum or lower the minimum.</source>
        <translation>ssl_min_protocol_version (%1) est plus récent que ssl_max_protocol_version (%2) : il ne reste donc aucune version de TLS. Augmentez le maximum ou abaissez le minimum.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>VerifyFull tests TLS only and has no GSSAPI (Kerberos) encryption. Use gssencmode=disable or prefer%1.</source>
        <translation>VerifyFull ne teste que TLS et ne gère pas le chiffrement GSSAPI (Kerberos). Utilisez gssencmode=disable ou prefer%1.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No protocol version is left between the minimum and the maximum. Raise max_protocol_version or lower min_protocol_version.</source>
        <translation>Il ne reste aucune version du protocole entre le minimum et le maximum. Augmentez max_protocol_version ou abaissez min_protocol_version.</translation>
    </message>
</context>
<context>
    <name>vf::settings::PgPass</name>
    <message>
        <location filename="../core/settings/PgPass.cpp" line="+174"/>
        <source>libpq skips a password file it cannot open, without a message, and connects without a stored password.</source>
        <translation>libpq ignore, sans message, un fichier de mots de passe qu&apos;il ne peut pas ouvrir, et se connecte sans mot de passe enregistré.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>libpq ignores a password file that is a directory or a device. Point passfile/PGPASSFILE at a regular file, or remove the setting.</source>
        <translation>libpq ignore un fichier de mots de passe qui est un répertoire ou un périphérique. Faites pointer passfile/PGPASSFILE vers un fichier ordinaire, ou supprimez le paramètre.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Other users could read the stored passwords, so libpq ignores the whole file (mode %1). Run: chmod 600 %2</source>
        <translation>D&apos;autres utilisateurs pourraient lire les mots de passe enregistrés : libpq ignore donc tout le fichier (mode %1). Exécutez : chmod 600 %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Line %1 is longer than %2 bytes and was skipped (libpq would read it).</source>
        <translation>La ligne %1 dépasse %2 octets et a été ignorée (libpq la lirait).</translation>
    </message>
</context>
<context>
    <name>vf::settings::ServiceFile</name>
    <message>
        <location filename="../core/settings/ServiceFile.cpp" line="+56"/>
        <source>Line %1 of the service file is not a keyword=value line with a keyword libpq knows. Write one setting per line as keyword=value, with no spaces around &quot;=&quot; (libpq does not trim them), e.g. sslmode=verify-full.</source>
        <translation>La ligne %1 du fichier de services n&apos;est pas une ligne mot-clé=valeur avec un mot-clé que libpq connaît. Écrivez un paramètre par ligne sous la forme mot-clé=valeur, sans espaces autour du &quot;=&quot; (libpq ne les supprime pas), par exemple sslmode=verify-full.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The service file is not a regular file (a pipe, socket or device); it is not read, since reading it could wait forever. Point servicefile= or PGSERVICEFILE at a pg_service.conf file.</source>
        <translation>Le fichier de services n&apos;est pas un fichier ordinaire (un tube, un socket ou un périphérique) ; il n&apos;est pas lu, car sa lecture pourrait attendre indéfiniment. Faites pointer servicefile= ou PGSERVICEFILE vers un fichier pg_service.conf.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The service file could not be opened (%1). Check the path given by servicefile= or PGSERVICEFILE, or unset it so libpq looks in ~/.pg_service.conf and the system pg_service.conf.</source>
        <translation>Le fichier de services n&apos;a pas pu être ouvert (%1). Vérifiez le chemin indiqué par servicefile= ou PGSERVICEFILE, ou supprimez ce paramètre pour que libpq cherche dans ~/.pg_service.conf et dans le pg_service.conf du système.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>libpq reads service files with a 1024-byte line buffer, so every line must be shorter than 1023 bytes including its newline. Shorten line %1 (is this really a service file?).</source>
        <translation>libpq lit les fichiers de services avec un tampon de ligne de 1024 octets : chaque ligne doit donc faire moins de 1023 octets, saut de ligne compris. Raccourcissez la ligne %1 (s&apos;agit-il vraiment d&apos;un fichier de services ?).</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>This service reads its settings from an LDAP server, which VerifyFull cannot query. Copy the settings into the service file or the connection string instead.</source>
        <translation>Ce service lit ses paramètres depuis un serveur LDAP, que VerifyFull ne peut pas interroger. Copiez plutôt les paramètres dans le fichier de services ou dans la chaîne de connexion.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq treats any service-file line that starts with &quot;ldap&quot; as an LDAP URL. Line %1 is not one; rename or remove it.</source>
        <translation>libpq traite toute ligne de fichier de services commençant par &quot;ldap&quot; comme une URL LDAP. La ligne %1 n&apos;en est pas une ; renommez-la ou supprimez-la.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A service section cannot name another service. Copy the settings you need into this section and remove the service= line.</source>
        <translation>Une section de service ne peut pas mentionner un autre service. Copiez les paramètres nécessaires dans cette section et supprimez la ligne service=.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A service section cannot point to another service file. Remove the servicefile= line.</source>
        <translation>Une section de service ne peut pas pointer vers un autre fichier de services. Supprimez la ligne servicefile=.</translation>
    </message>
</context>
<context>
    <name>vf::settings::SettingsResolver</name>
    <message>
        <location filename="../core/settings/SettingsResolver.cpp" line="+61"/>
        <location line="+23"/>
        <source>%1 (does not exist)</source>
        <translation>%1 (n&apos;existe pas)</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>~/.pg_service.conf (no home directory)</source>
        <translation>~/.pg_service.conf (pas de répertoire personnel)</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+10"/>
        <source>%1 (no [%2] section)</source>
        <translation>%1 (pas de section [%2])</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No service file has a [%1] section. Looked in: %2. Add the section, fix the service name, or point PGSERVICEFILE at the right file.</source>
        <translation>Aucun fichier de services ne contient de section [%1]. Emplacements consultés : %2. Ajoutez la section, corrigez le nom du service, ou faites pointer PGSERVICEFILE vers le bon fichier.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The service file %1 is a directory; libpq reads it as an empty file.</source>
        <translation>Le fichier de services %1 est un répertoire ; libpq le lit comme un fichier vide.</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>No home directory (HOME is empty and the user has no passwd entry): libpq uses no ~/.postgresql/ files, no ~/.pgpass and no ~/.pg_service.conf.</source>
        <translation>Pas de répertoire personnel (HOME est vide et l&apos;utilisateur n&apos;a pas d&apos;entrée passwd) : libpq n&apos;utilise aucun fichier ~/.postgresql/, ni ~/.pgpass, ni ~/.pg_service.conf.</translation>
    </message>
</context>
<context>
    <name>vf::settings::ValueOrigin</name>
    <message>
        <location filename="../core/settings/ValueOrigin.cpp" line="+23"/>
        <source>not set</source>
        <translation>non défini</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>typed</source>
        <translation>saisi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from the URI</source>
        <translation>depuis l&apos;URI</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from service file %1 [%2]</source>
        <translation>depuis le fichier de services %1 [%2]</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from %1</source>
        <translation>depuis %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from %1=1</source>
        <translation>depuis %1=1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default</source>
        <translation>valeur par défaut</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default (operating-system user name)</source>
        <translation>valeur par défaut (nom d&apos;utilisateur du système d&apos;exploitation)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default (same as the user name)</source>
        <translation>valeur par défaut (identique au nom d&apos;utilisateur)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default, raised to verify-full by sslrootcert=system</source>
        <translation>valeur par défaut, portée à verify-full par sslrootcert=system</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default file %1 (exists)</source>
        <translation>fichier par défaut %1 (existe)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>default file %1 (missing)</source>
        <translation>fichier par défaut %1 (absent)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1, line %2</source>
        <translation>%1, ligne %2</translation>
    </message>
</context>
<context>
    <name>vf::tls::TlsClient</name>
    <message>
        <location filename="../core/tls/TlsClient.cpp" line="+259"/>
        <source>The root certificate file exists but OpenSSL cannot read certificates from it: libpq needs PEM certificates in this file.</source>
        <translation>Le fichier de certificats racines existe, mais OpenSSL ne parvient pas à y lire de certificats : libpq a besoin de certificats PEM dans ce fichier.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>sslmode=%1 needs trusted root certificates, and there is no home directory to find ~/.postgresql/root.crt in.</source>
        <translation>sslmode=%1 nécessite des certificats racines de confiance, et il n&apos;y a pas de répertoire personnel où trouver ~/.postgresql/root.crt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode=%1 verifies the server against trusted root certificates, and the file that should hold them is not there. Point sslrootcert at your CA&apos;s root certificate, or use sslrootcert=system for a public CA.</source>
        <translation>sslmode=%1 vérifie le serveur à l&apos;aide de certificats racines de confiance, et le fichier censé les contenir est absent. Faites pointer sslrootcert vers le certificat racine de votre AC, ou utilisez sslrootcert=system pour une AC publique.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>libpq reads the client certificate as PEM: convert a DER or PKCS#12 file to PEM first.</source>
        <translation>libpq lit le certificat client au format PEM : convertissez d&apos;abord un fichier DER ou PKCS#12 en PEM.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>The key is encrypted and the passphrase given (sslpassword, or the one typed) does not open it.</source>
        <translation>La clé est chiffrée, et la phrase secrète fournie (sslpassword, ou celle saisie) ne l&apos;ouvre pas.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenSSL cannot read a private key from this file, or the key does not belong to the client certificate.</source>
        <translation>OpenSSL ne parvient pas à lire de clé privée dans ce fichier, ou la clé ne correspond pas au certificat client.</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>The server accepted TLS directly but did not agree on the &apos;postgresql&apos; protocol; it is not a PostgreSQL 17+ server.</source>
        <translation>Le serveur a accepté le TLS direct, mais ne s&apos;est pas accordé sur le protocole &apos;postgresql&apos; ; ce n&apos;est pas un serveur PostgreSQL 17+.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The server chose protocol &apos;%1&apos; instead of &apos;postgresql&apos;.</source>
        <translation>Le serveur a choisi le protocole &apos;%1&apos; au lieu de &apos;postgresql&apos;.</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+11"/>
        <source>The server closed the connection during the TLS handshake.</source>
        <translation>Le serveur a fermé la connexion pendant le handshake TLS.</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>The server certificate&apos;s signature algorithm (for example Ed25519) has no hash, so SCRAM channel binding cannot be used with it.</source>
        <translation>L&apos;algorithme de signature du certificat du serveur (par exemple Ed25519) n&apos;a pas de hachage : la liaison de canal SCRAM ne peut donc pas être utilisée avec lui.</translation>
    </message>
</context>
<context>
    <name>vf::ui::AdvancedOptionsModel</name>
    <message>
        <location filename="../ui/profiles/AdvancedOptionsModel.cpp" line="+49"/>
        <source>Environment variable: %1</source>
        <translation>Variable d&apos;environnement : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq&apos;s default: %1</source>
        <translation>Valeur par défaut de libpq : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Known since PostgreSQL %1</source>
        <translation>Reconnu depuis PostgreSQL %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A secret: kept for this session only, never saved in the profile file</source>
        <translation>Secret : conservé pour cette session uniquement, jamais enregistré dans le fichier de profils</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+11"/>
        <source>not set</source>
        <translation>non défini</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>set (hidden)</source>
        <translation>défini (masqué)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Double-click or press F2 to edit %1</source>
        <translation>Double-cliquez ou appuyez sur F2 pour modifier %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>empty</source>
        <translation>vide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Parameter</source>
        <translation>Paramètre</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When not set here</source>
        <translation>Si non défini ici</translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateAssessment</name>
    <message>
        <location filename="../ui/chain/CertificateAssessment.cpp" line="+90"/>
        <source>Expired %1</source>
        <translation>Expiré %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired on %1 (%2): renew it, or replace it with the new certificate of its issuer.</source>
        <translation>Expiré le %1 (%2) : renouvelez-le, ou remplacez-le par le nouveau certificat de son émetteur.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not valid yet</source>
        <translation>Pas encore valide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not valid before %1 (%2): check the clock of this computer, or wait.</source>
        <translation>Non valide avant le %1 (%2) : vérifiez l&apos;horloge de cet ordinateur, ou patientez.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Expires %1</source>
        <translation>Expire %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expires on %1 (%2): plan its renewal now.</source>
        <translation>Expire le %1 (%2) : planifiez dès maintenant son renouvellement.</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+175"/>
        <source>Revoked</source>
        <translation>Révoqué</translation>
    </message>
    <message>
        <location line="-174"/>
        <source>Revoked: the CRL of its issuer lists serial %1. Its owner must get a new certificate.</source>
        <translation>Révoqué : la CRL de son émetteur mentionne le numéro de série %1. Son propriétaire doit obtenir un nouveau certificat.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Name mismatch: %1</source>
        <translation>Nom non concordant : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Does not name the host %1: it holds no host name at all.</source>
        <translation>Ne mentionne pas l&apos;hôte %1 : il ne contient aucun nom d&apos;hôte.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Does not name the host %1 (it names %2): connect with one of its names, or have the server&apos;s certificate reissued with this one.</source>
        <translation>Ne mentionne pas l&apos;hôte %1 (il mentionne %2) : connectez-vous avec l&apos;un de ses noms, ou faites réémettre le certificat du serveur avec celui-ci.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+146"/>
        <source>Issuer unknown</source>
        <translation>Émetteur inconnu</translation>
    </message>
    <message>
        <location line="-144"/>
        <source>Issuer unknown: %1 is not included here.</source>
        <translation>Émetteur inconnu : %1 ne figure pas ici.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuer unknown: %1 is neither sent by the server nor among your trusted roots. Add it (or its root) to the root certificate file.</source>
        <translation>Émetteur inconnu : %1 n&apos;est ni envoyé par le serveur ni présent parmi vos racines de confiance. Ajoutez-le (ou sa racine) au fichier de certificats racines.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Self-signed, not trusted</source>
        <translation>Autosigné, non approuvé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Self-signed and not among your trusted roots: if you trust it, add it to the root certificate file after comparing its SHA-256 fingerprint.</source>
        <translation>Autosigné et absent de vos racines de confiance : si vous lui faites confiance, ajoutez-le au fichier de certificats racines après avoir comparé son empreinte SHA-256.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+139"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location line="-136"/>
        <source>Bad signature</source>
        <translation>Signature incorrecte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its signature does not verify with its issuer&apos;s key.</source>
        <translation>Sa signature ne se vérifie pas avec la clé de son émetteur.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRL problem</source>
        <translation>Problème de CRL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revocation could not be checked: the CRL of its issuer is missing, expired or badly signed.</source>
        <translation>La révocation n&apos;a pas pu être vérifiée : la CRL de son émetteur est absente, expirée ou mal signée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not allowed to sign</source>
        <translation>Signature non autorisée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It may not be used in this position (not a CA, key usage, or path length).</source>
        <translation>Il ne peut pas être utilisé à cette position (pas une AC, usage de la clé ou longueur de chemin).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrong purpose</source>
        <translation>Usage incorrect</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its extended key usage does not allow this use.</source>
        <translation>Son usage étendu de la clé n&apos;autorise pas cette utilisation.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too weak</source>
        <translation>Trop faible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its key or signature digest is too weak for OpenSSL&apos;s security level.</source>
        <translation>Sa clé ou l&apos;algorithme de hachage de sa signature est trop faible pour le niveau de sécurité d&apos;OpenSSL.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (OpenSSL: %2)</source>
        <translation>%1 (OpenSSL : %2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Included root</source>
        <translation>Racine incluse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The self-signed root included here; it was not checked against your trusted roots.</source>
        <translation>La racine autosignée incluse ici ; elle n&apos;a pas été vérifiée par rapport à vos racines de confiance.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trusted root</source>
        <translation>Racine de confiance</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+93"/>
        <source>Trusted</source>
        <translation>De confiance</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>Trusted: one of the trust anchors.</source>
        <translation>De confiance : l&apos;une des ancres de confiance.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trusted: found among your trusted roots.</source>
        <translation>De confiance : trouvé parmi vos racines de confiance.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not in the chain</source>
        <translation>Hors de la chaîne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent along, but not part of the chain that was built: it is not needed.</source>
        <translation>Envoyé en plus, mais ne fait pas partie de la chaîne construite : il n&apos;est pas nécessaire.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chains to the included root</source>
        <translation>Mène à la racine incluse</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chains to a trusted root</source>
        <translation>Mène à une racine de confiance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its chain verifies up to the root included here.</source>
        <translation>Sa chaîne se vérifie jusqu&apos;à la racine incluse ici.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its chain verifies up to one of your trusted roots.</source>
        <translation>Sa chaîne se vérifie jusqu&apos;à l&apos;une de vos racines de confiance.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chain does not verify</source>
        <translation>La chaîne ne se vérifie pas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid itself, but its chain does not verify: %1.</source>
        <translation>Valide en soi, mais sa chaîne ne se vérifie pas : %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chain fails at %1</source>
        <translation>Chaîne en échec sur %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid itself, but its chain does not verify: %1 at %2 (depth %3).</source>
        <translation>Valide en soi, mais sa chaîne ne se vérifie pas : %1 sur %2 (profondeur %3).</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+18"/>
        <location line="+49"/>
        <source>Self-signed</source>
        <translation>Autosigné</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Self-signed: it is its own issuer.</source>
        <translation>Autosigné : il est son propre émetteur.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Self-signed root</source>
        <translation>Racine autosignée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A self-signed root certificate: trusted only where a trust store holds it.</source>
        <translation>Certificat racine autosigné : approuvé uniquement là où un magasin de confiance le contient.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Self-signed and not a CA: it can be trusted only as itself.</source>
        <translation>Autosigné et pas une AC : on ne peut lui faire confiance qu&apos;en tant que tel.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Issuer not included</source>
        <translation>Émetteur non inclus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its issuer %1 is not among these certificates.</source>
        <translation>Son émetteur %1 ne fait pas partie de ces certificats.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Valid until %1</source>
        <translation>Valide jusqu&apos;au %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid until %1; not checked against trusted roots.</source>
        <translation>Valide jusqu&apos;au %1 ; non vérifié par rapport aux racines de confiance.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Valid</source>
        <translation>Valide</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Expiring</source>
        <translation>Expire bientôt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name mismatch</source>
        <translation>Nom non concordant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not yet valid</source>
        <translation>Pas encore valide</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expired</source>
        <translation>Expiré</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>today</source>
        <extracomment>Completes &quot;Expired %1&quot;, &quot;Expires %1&quot; and &quot;Expired on &lt;date&gt; (%2)&quot;.</extracomment>
        <translation>aujourd&apos;hui</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tomorrow</source>
        <translation>demain</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>in %Ln day(s)</source>
        <translation>
            <numerusform>dans %Ln jour</numerusform>
            <numerusform>dans %Ln jours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%Ln day(s) ago</source>
        <translation>
            <numerusform>il y a %Ln jour</numerusform>
            <numerusform>il y a %Ln jours</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>yesterday</source>
        <translation>hier</translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateDetailsTree</name>
    <message>
        <location filename="../ui/chain/CertificateDetailsTree.cpp" line="+57"/>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Copy Value</source>
        <translation>&amp;Copier la valeur</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Verification errors</source>
        <translation>Erreurs de vérification</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>depth %1</source>
        <translation>profondeur %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Subject</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Issuer</source>
        <translation>Émetteur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Serial number</source>
        <translation>Numéro de série</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Validity</source>
        <translation>Validité</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 to %2</source>
        <translation>du %1 au %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not before</source>
        <translation>Pas avant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not after</source>
        <translation>Pas après</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expires</source>
        <translation>Expire</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Subject alternative names</source>
        <translation>Noms alternatifs du sujet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>, %1 bits</source>
        <translation>, %1 bits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Public key</source>
        <translation>Clé publique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signature algorithm</source>
        <translation>Algorithme de signature</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none (not a CA)</source>
        <translation>aucune (pas une AC)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not a CA</source>
        <translation>pas une AC</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CA, path length %1</source>
        <translation>AC, longueur de chemin %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CA</source>
        <translation>AC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Basic constraints</source>
        <translation>Contraintes de base</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Key usage</source>
        <translation>Usage de la clé</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>not restricted</source>
        <translation>non restreint</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Extended key usage</source>
        <translation>Usage étendu de la clé</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Subject key identifier</source>
        <translation>Identifiant de la clé du sujet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Authority key identifier</source>
        <translation>Identifiant de la clé de l&apos;autorité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fingerprints</source>
        <translation>Empreintes</translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateListModel</name>
    <message>
        <location filename="../ui/chain/CertificateListModel.cpp" line="+46"/>
        <source>%1, %2: %3, issued by %4</source>
        <translation>%1, %2 : %3, émis par %4</translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateRowBuilder</name>
    <message>
        <location filename="../ui/chain/CertificateRowBuilder.cpp" line="+30"/>
        <source>Leaf</source>
        <translation>Feuille</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Intermediate</source>
        <translation>Intermédiaire</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Intermediate (trust store)</source>
        <translation>Intermédiaire (magasin de confiance)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Root</source>
        <translation>Racine</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Root (trust store)</source>
        <translation>Racine (magasin de confiance)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not in chain</source>
        <translation>Hors chaîne</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Root CA</source>
        <translation>AC racine</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CA</source>
        <translation>AC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End entity</source>
        <translation>Entité finale</translation>
    </message>
</context>
<context>
    <name>vf::ui::ChainBrowser</name>
    <message>
        <location filename="../ui/chain/ChainBrowser.cpp" line="+94"/>
        <source>Find</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Open Certificate File</source>
        <translation>Ouvrir un fichier de certificat</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx *.ca-bundle)</source>
        <translation>Certificats (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx *.ca-bundle)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>The chain verifies up to a trusted root.</source>
        <translation>La chaîne se vérifie jusqu&apos;à une racine de confiance.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chain does not verify: %1 (depth %2).</source>
        <translation>La chaîne ne se vérifie pas : %1 (profondeur %2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The chain verifies, but the server certificate does not name %1.</source>
        <translation>La chaîne se vérifie, mais le certificat du serveur ne mentionne pas %1.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Checked as a chain against the root included with it, not against your trusted roots.</source>
        <translation>Vérifiée en tant que chaîne par rapport à la racine incluse, et non par rapport à vos racines de confiance.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No file was given.</source>
        <translation>Aucun fichier n&apos;a été indiqué.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file “%1” does not exist.</source>
        <translation>Le fichier « %1 » n&apos;existe pas.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“%1” is a directory, not a certificate file.</source>
        <translation>« %1 » est un répertoire, pas un fichier de certificat.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reading %1…</source>
        <translation>Lecture de %1…</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>No certificate found.</source>
        <translation>Aucun certificat trouvé.</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%Ln certificate(s) so far…</source>
        <translation>
            <numerusform>%Ln certificat pour l&apos;instant…</numerusform>
            <numerusform>%Ln certificats pour l&apos;instant…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%Ln certificate(s)</source>
        <translation>
            <numerusform>%Ln certificat</numerusform>
            <numerusform>%Ln certificats</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>%Ln certificate(s), not checked against your trusted roots.</source>
        <translation>
            <numerusform>%Ln certificat, non vérifié par rapport à vos racines de confiance.</numerusform>
            <numerusform>%Ln certificats, non vérifiés par rapport à vos racines de confiance.</numerusform>
        </translation>
    </message>
    <message>
        <location line="-26"/>
        <source>%L1 of %L2 certificates match</source>
        <translation>%L1 certificats sur %L2 correspondent</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Expired: %L1.</source>
        <translation>Expirés : %L1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expiring within %1 days: %L2.</source>
        <translation>Expirent dans moins de %1 jours : %L2.</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Notice</source>
        <translation>Information</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Export Certificate as PEM</source>
        <translation>Exporter le certificat en PEM</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export Certificate as DER</source>
        <translation>Exporter le certificat en DER</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PEM certificate (*.crt *.pem)</source>
        <translation>Certificat PEM (*.crt *.pem)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DER certificate (*.der *.cer)</source>
        <translation>Certificat DER (*.der *.cer)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export All Certificates as PEM</source>
        <translation>Exporter tous les certificats en PEM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PEM certificates (*.crt *.pem)</source>
        <translation>Certificats PEM (*.crt *.pem)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Could not save “%1”: %2</source>
        <translation>Impossible d&apos;enregistrer « %1 » : %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved %1.</source>
        <translation>%1 enregistré.</translation>
    </message>
</context>
<context>
    <name>vf::ui::ChainCardDelegate</name>
    <message>
        <location filename="../ui/chain/ChainCardDelegate.cpp" line="+132"/>
        <source>Issued by %1 · until %2</source>
        <translation>Émis par %1 · jusqu&apos;au %2</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>issued by</source>
        <translation>émis par</translation>
    </message>
</context>
<context>
    <name>vf::ui::DeleteProfileCommand</name>
    <message>
        <location filename="../ui/profiles/DeleteProfileCommand.cpp" line="+14"/>
        <source>Delete profile “%1”</source>
        <translation>Supprimer le profil « %1 »</translation>
    </message>
</context>
<context>
    <name>vf::ui::ExportDialog</name>
    <message>
        <location filename="../ui/interop/ExportDialog.cpp" line="+62"/>
        <source>Export “%1”</source>
        <translation>Exporter « %1 »</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the connection “%1” in a form other tools read. Secrets stay out unless you include them.</source>
        <translation>Écrire la connexion « %1 » sous une forme que lisent d&apos;autres outils. Les secrets sont omis sauf si vous les incluez.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This profile holds no password or key password in this session; nothing secret can be exported</source>
        <translation>Ce profil ne contient ni mot de passe ni mot de passe de clé dans cette session ; aucun secret ne peut être exporté</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Add to %1</source>
        <translation>&amp;Ajouter à %1</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The text below now holds secrets in plain text. Anyone who sees it, and any file or clipboard it goes to, has them. Files are saved readable only by you (0600).</source>
        <translation>Le texte ci-dessous contient désormais des secrets en clair. Quiconque le voit, ainsi que tout fichier ou presse-papiers où il aboutit, y a accès. Les fichiers sont enregistrés lisibles par vous seul (0600).</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Copied, with the secrets. Clear the clipboard when you no longer need it.</source>
        <translation>Copié, avec les secrets. Videz le presse-papiers lorsque vous n&apos;en avez plus besoin.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copied to the clipboard.</source>
        <translation>Copié dans le presse-papiers.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save Export</source>
        <translation>Enregistrer l&apos;export</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Saved to %1, readable only by you (0600).</source>
        <translation>Enregistré dans %1, lisible par vous seul (0600).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved to %1.</source>
        <translation>Enregistré dans %1.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 already has this line; nothing was added.</source>
        <translation>%1 contient déjà cette ligne ; rien n&apos;a été ajouté.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Created %1 (mode 0600) with %n line(s).</source>
        <translation>
            <numerusform>%1 créé (mode 0600) avec %n ligne.</numerusform>
            <numerusform>%1 créé (mode 0600) avec %n lignes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Added %n line(s) to %1.</source>
        <translation>
            <numerusform>%n ligne ajoutée à %1.</numerusform>
            <numerusform>%n lignes ajoutées à %1.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its permissions were too open for libpq and are now 0600.</source>
        <translation>Ses permissions étaient trop ouvertes pour libpq et sont désormais 0600.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Save the Key as PKCS#8 DER</source>
        <translation>Enregistrer la clé au format PKCS#8 DER</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PKCS#8 DER keys (*.pk8)</source>
        <translation>Clés PKCS#8 DER (*.pk8)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Wrote %1: PKCS#8 DER, readable only by you (0600). Use it as sslkey for pgJDBC.</source>
        <translation>%1 écrit : PKCS#8 DER, lisible par vous seul (0600). Utilisez-le comme sslkey pour pgJDBC.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Key Passphrase</source>
        <translation>Phrase secrète de la clé</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>That passphrase does not open the key. Passphrase of %1:</source>
        <translation>Cette phrase secrète n&apos;ouvre pas la clé. Phrase secrète de %1 :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key is encrypted. Passphrase of %1:</source>
        <translation>La clé est chiffrée. Phrase secrète de %1 :</translation>
    </message>
</context>
<context>
    <name>vf::ui::FileField</name>
    <message>
        <location filename="../ui/widgets/FileField.cpp" line="+54"/>
        <source>PEM text</source>
        <translation>texte PEM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>binary (DER)</source>
        <translation>binaire (DER)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>PEM text</source>
        <comment>label</comment>
        <extracomment>Label at the start of a status line, followed by &quot;: &quot; and what the file holds.</extracomment>
        <translation>Texte PEM</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Binary (DER)</source>
        <extracomment>Label at the start of a status line, followed by &quot;: &quot; and what the file holds.</extracomment>
        <translation>Binaire (DER)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Certificate</source>
        <comment>file kind</comment>
        <translation>Certificat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Private key</source>
        <translation>Clé privée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Public key</source>
        <translation>Clé publique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate signing request (CSR)</source>
        <translation>Demande de signature de certificat (CSR)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PKCS#12 bundle (.p12/.pfx)</source>
        <translation>Conteneur PKCS#12 (.p12/.pfx)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PKCS#7 certificate bundle (.p7b)</source>
        <translation>Conteneur de certificats PKCS#7 (.p7b)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate revocation list (CRL)</source>
        <translation>Liste de révocation de certificats (CRL)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SSH key</source>
        <translation>Clé SSH</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Directory</source>
        <translation>Répertoire</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unrecognised data</source>
        <translation>Données non reconnues</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restrict to owner (0600)</source>
        <translation>Réserver au propriétaire (0600)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+478"/>
        <source>Convert to PEM…</source>
        <translation>Convertir en PEM…</translation>
    </message>
    <message>
        <location line="-459"/>
        <source>Change the file&apos;s mode to 0600 (read and write by you only), as libpq requires for private keys</source>
        <translation>Passer le mode du fichier à 0600 (lecture et écriture par vous seul), comme libpq l&apos;exige pour les clés privées</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Replace files?</source>
        <translation>Remplacer les fichiers ?</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Choose a directory</source>
        <translation>Choisir un répertoire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a file</source>
        <translation>Choisir un fichier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Directory path</source>
        <translation>Chemin du répertoire</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>File path, or drop a file here</source>
        <translation>Chemin du fichier, ou déposez un fichier ici</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+367"/>
        <source>Choose %1</source>
        <translation>Choisir : %1</translation>
    </message>
    <message>
        <location line="-366"/>
        <source>%1 check</source>
        <translation>Vérification : %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password for %1</source>
        <translation>Mot de passe : %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try the password for %1</source>
        <translation>Essayer le mot de passe : %1</translation>
    </message>
    <message numerus="yes">
        <location line="+114"/>
        <source>Directory with %n CRL(s) that libpq will find</source>
        <translation>
            <numerusform>Répertoire contenant %n CRL que libpq trouvera</numerusform>
            <numerusform>Répertoire contenant %n CRL que libpq trouvera</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>PKCS#12 bundle (binary): %n certificate(s)</source>
        <translation>
            <numerusform>Conteneur PKCS#12 (binaire) : %n certificat</numerusform>
            <numerusform>Conteneur PKCS#12 (binaire) : %n certificats</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>PKCS#12 bundle (binary): %n certificate(s) and a %1 private key</source>
        <extracomment>%1 is the key type, e.g. RSA or EC.</extracomment>
        <translation>
            <numerusform>Conteneur PKCS#12 (binaire) : %n certificat et une clé privée %1</numerusform>
            <numerusform>Conteneur PKCS#12 (binaire) : %n certificats et une clé privée %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%1: %n certificate(s) and a private key</source>
        <extracomment>%1 is what the file is: &quot;PEM text&quot;, &quot;Binary (DER)&quot; or &quot;PKCS#7 bundle, …&quot;.</extracomment>
        <translation>
            <numerusform>%1 : %n certificat et une clé privée</numerusform>
            <numerusform>%1 : %n certificats et une clé privée</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1: %n certificate(s)</source>
        <translation>
            <numerusform>%1 : %n certificat</numerusform>
            <numerusform>%1 : %n certificats</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: encrypted private key (%2)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;, %2 the key file format (PKCS#8, PKCS#1 …).</extracomment>
        <translation>%1 : clé privée chiffrée (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: encrypted %2 %3-bit private key (%4)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;, %2 the key type (RSA, EC …), %3 its size in bits, %4 the key file format (PKCS#8, PKCS#1 …).</extracomment>
        <translation>%1 : clé privée %2 de %3 bits, chiffrée (%4)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: %2 %3-bit private key (%4)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;, %2 the key type (RSA, EC …), %3 its size in bits, %4 the key file format (PKCS#8, PKCS#1 …).</extracomment>
        <translation>%1 : clé privée %2 de %3 bits (%4)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: %2 private key (%3)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;, %2 the key type (RSA, EC …), %3 the key file format.</extracomment>
        <translation>%1 : clé privée %2 (%3)</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%1: %n CRL(s)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;.</extracomment>
        <translation>
            <numerusform>%1 : %n CRL</numerusform>
            <numerusform>%1 : %n CRL</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Expired on %1 (today)</source>
        <translation>Expiré le %1 (aujourd&apos;hui)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Expired on %1 (%n day(s) ago)</source>
        <translation>
            <numerusform>Expiré le %1 (il y a %n jour)</numerusform>
            <numerusform>Expiré le %1 (il y a %n jours)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Expires on %1, today</source>
        <translation>Expire le %1, c&apos;est-à-dire aujourd&apos;hui</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Expires on %1, in %n day(s)</source>
        <translation>
            <numerusform>Expire le %1, dans %n jour</numerusform>
            <numerusform>Expire le %1, dans %n jours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n other certificate(s) in this file have expired</source>
        <translation>
            <numerusform>%n autre certificat de ce fichier a expiré</numerusform>
            <numerusform>%n autres certificats de ce fichier ont expiré</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n other certificate(s) in this file expire within 30 days</source>
        <translation>
            <numerusform>%n autre certificat de ce fichier expire dans moins de 30 jours</numerusform>
            <numerusform>%n autres certificats de ce fichier expirent dans moins de 30 jours</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The password does not open this bundle.</source>
        <translation>Le mot de passe n&apos;ouvre pas ce conteneur.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password does not open this key.</source>
        <translation>Le mot de passe n&apos;ouvre pas cette clé.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The password opens this bundle.</source>
        <translation>Le mot de passe ouvre ce conteneur.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password opens this key.</source>
        <translation>Le mot de passe ouvre cette clé.</translation>
    </message>
    <message>
        <location line="+203"/>
        <source>%1 (0600)</source>
        <extracomment>%1 is the path of a private key file written with mode 0600 (read and write by its owner only).</extracomment>
        <translation>%1 (0600)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Wrote %1 and %2.</source>
        <extracomment>%1 and %2 are the paths of the certificate and the key file written.</extracomment>
        <translation>Écrits : %1 et %2.</translation>
    </message>
    <message>
        <location line="-344"/>
        <source>PKCS#12 bundle (binary)</source>
        <translation>Conteneur PKCS#12 (binaire)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>PKCS#7 bundle, %1</source>
        <translation>Conteneur PKCS#7, %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1: certificate signing request for %2</source>
        <translation>%1 : demande de signature de certificat pour %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>First certificate</source>
        <translation>Premier certificat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Certificate</source>
        <translation>Certificat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2, valid until %3</source>
        <translation>%1 : %2, valide jusqu&apos;au %3</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Not valid before %1</source>
        <translation>Non valide avant le %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The CRL of %1 is out of date (next update was due %2): OpenSSL rejects server certificates with &quot;CRL has expired&quot;</source>
        <translation>La CRL de %1 n&apos;est pas à jour (la prochaine mise à jour était prévue le %2) : OpenSSL rejette les certificats de serveur avec &quot;CRL has expired&quot;</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>type its password in %1</source>
        <translation>saisissez son mot de passe dans le champ « %1 »</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>enter its password below</source>
        <translation>saisissez son mot de passe ci-dessous</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This bundle is password-protected: %1.</source>
        <translation>Ce conteneur est protégé par mot de passe : %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This key is encrypted: %1.</source>
        <translation>Cette clé est chiffrée : %1.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This bundle is password-protected: enter its password to see what it holds.</source>
        <translation>Ce conteneur est protégé par mot de passe : saisissez son mot de passe pour voir son contenu.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>libpq cannot read PKCS#12 bundles: convert it to PEM files.</source>
        <translation>libpq ne sait pas lire les conteneurs PKCS#12 : convertissez-le en fichiers PEM.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Matches %1 (%2)</source>
        <translation>Forme une paire avec %1 (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Does not belong to %1 (%2): %3</source>
        <translation>Ne forme pas une paire avec %1 (%2) : %3</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Not set here: libpq uses %1 (%2)</source>
        <translation>Non défini ici : libpq utilise %1 (%2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>libpq can use this file here.</source>
        <translation>libpq peut utiliser ce fichier ici.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Extract PEM certificate and key…</source>
        <translation>Extraire le certificat et la clé en PEM…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Write the PEM files libpq reads next to this file (a private key with mode 0600); asks before replacing a file</source>
        <translation>Écrire les fichiers PEM que lit libpq à côté de ce fichier (une clé privée avec le mode 0600) ; demande confirmation avant de remplacer un fichier</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Keys (*.key *.pem *.der *.p12 *.pfx)</source>
        <translation>Clés (*.key *.pem *.der *.p12 *.pfx)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRLs (*.crl *.pem *.der)</source>
        <translation>CRL (*.crl *.pem *.der)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx)</source>
        <translation>Certificats (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Restricted to its owner (0600).</source>
        <translation>Réservé à son propriétaire (0600).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not change the permissions of &quot;%1&quot;.</source>
        <translation>Impossible de modifier les permissions de « %1 ».</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Wrote %1.</source>
        <extracomment>%1 is the path of the file written (or a list of paths).</extracomment>
        <translation>Écrit : %1.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>These files exist already and would be replaced:
%1

Replace them?</source>
        <translation>Ces fichiers existent déjà et seraient remplacés :
%1

Les remplacer ?</translation>
    </message>
</context>
<context>
    <name>vf::ui::ImportDialog</name>
    <message>
        <location filename="../ui/interop/ImportDialog.cpp" line="+52"/>
        <source>host=db.example.com dbname=app user=alice sslmode=verify-full
or
postgresql://alice@db.example.com/app?sslmode=verify-full</source>
        <translation>host=db.example.com dbname=app user=alice sslmode=verify-full
ou
postgresql://alice@db.example.com/app?sslmode=verify-full</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Create a profile for each connection chosen on this tab</source>
        <translation>Créer un profil pour chaque connexion choisie dans cet onglet</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Choose the file pgAdmin exported.</source>
        <translation>Choisissez le fichier exporté par pgAdmin.</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Comment: %1</source>
        <translation>Commentaire : %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nothing pasted yet.</source>
        <translation>Rien n&apos;a encore été collé.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not a valid %1: %2</source>
        <translation>%1 non valide : %2</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>Recognised a %1 with %n setting(s).</source>
        <translation>
            <numerusform>Reconnu : %1 avec %n paramètre.</numerusform>
            <numerusform>Reconnu : %1 avec %n paramètres.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Reading the service files…</source>
        <translation>Lecture des fichiers de services…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Your service file</source>
        <translation>Votre fichier de services</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System service file</source>
        <translation>Fichier de services du système</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>does not exist</source>
        <translation>n&apos;existe pas</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n section(s)</source>
        <translation>
            <numerusform>%n section</numerusform>
            <numerusform>%n sections</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 — %2 (%3)</source>
        <translation>%1 — %2 (%3)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Tick to import the section [%1] as a profile</source>
        <translation>Cocher pour importer la section [%1] comme profil</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>libpq cannot use this section</source>
        <translation>libpq ne peut pas utiliser cette section</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No service file has a section libpq could use.</source>
        <translation>Aucun fichier de services ne contient de section utilisable par libpq.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Select a section to see its settings.</source>
        <translation>Sélectionnez une section pour voir ses paramètres.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Choose a pgAdmin Server Export</source>
        <translation>Choisir un export de serveurs pgAdmin</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pgAdmin server exports (*.json)</source>
        <translation>Exports de serveurs pgAdmin (*.json)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Reading %1…</source>
        <translation>Lecture de %1…</translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>%n server(s) in the file.</source>
        <translation>
            <numerusform>%n serveur dans le fichier.</numerusform>
            <numerusform>%n serveurs dans le fichier.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n cannot be imported (select one to see why).</source>
        <translation>
            <numerusform>%n ne peut pas être importé (sélectionnez-le pour voir pourquoi).</numerusform>
            <numerusform>%n ne peuvent pas être importés (sélectionnez-en un pour voir pourquoi).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Nothing to note: every setting of this server carries over.</source>
        <translation>Rien à signaler : tous les paramètres de ce serveur sont repris.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Reading the environment…</source>
        <translation>Lecture de l&apos;environnement…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Imported as the profile “%1”.</source>
        <translation>Importé sous le profil « %1 ».</translation>
    </message>
    <message numerus="yes">
        <location line="+61"/>
        <source>&amp;Import %n Profile(s)</source>
        <translation>
            <numerusform>&amp;Importer %n profil</numerusform>
            <numerusform>&amp;Importer %n profils</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Import</source>
        <translation>&amp;Importer</translation>
    </message>
</context>
<context>
    <name>vf::ui::LanguageMenu</name>
    <message>
        <location filename="../ui/i18n/LanguageMenu.cpp" line="+21"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System Language (%1)</source>
        <translation>Langue du système (%1)</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Change Language</source>
        <translation>Changer de langue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart &amp;Now</source>
        <translation>&amp;Redémarrer maintenant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Later</source>
        <translation>&amp;Plus tard</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>VerifyFull will appear in %1 after a restart.</source>
        <translation>VerifyFull s&apos;affichera en %1 après un redémarrage.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart now? Your profiles are saved first.</source>
        <translation>Redémarrer maintenant ? Vos profils sont d&apos;abord enregistrés.</translation>
    </message>
</context>
<context>
    <name>vf::ui::MainWindow</name>
    <message>
        <location filename="../ui/main/MainWindow.cpp" line="+154"/>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Select or create a profile to see what its sslmode protects against.</source>
        <translation>Sélectionnez ou créez un profil pour voir ce contre quoi protège son sslmode.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Import Connections…</source>
        <translation>&amp;Importer des connexions…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New profiles from a connection string or URI, pg_service.conf, pgAdmin&apos;s servers.json or your environment</source>
        <translation>Nouveaux profils à partir d&apos;une chaîne de connexion ou d&apos;une URI, de pg_service.conf, du servers.json de pgAdmin ou de votre environnement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export Connection…</source>
        <translation>&amp;Exporter la connexion…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The selected profile as a connection string, URI, service section, .pgpass line, psql command, or psycopg, node-postgres and JDBC code</source>
        <translation>Le profil sélectionné sous forme de chaîne de connexion, d&apos;URI, de section de service, de ligne .pgpass, de commande psql, ou de code psycopg, node-postgres et JDBC</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Select a profile to export.</source>
        <translation>Sélectionnez un profil à exporter.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The server&apos;s certificate chain is in the Certificates tab (Ctrl+2).</source>
        <translation>La chaîne de certificats du serveur se trouve dans l&apos;onglet Certificats (Ctrl+2).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The profiles could not be loaded: %1. %2</source>
        <translation>Les profils n&apos;ont pas pu être chargés : %1. %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The profile file was upgraded to the current format; the old one is kept next to it as %1.</source>
        <translation>Le fichier de profils a été mis à niveau vers le format actuel ; l&apos;ancien est conservé à côté sous %1.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The profile file could not be used: %1. It was kept as %2, and the profiles start again from what could be read from it.</source>
        <translation>Le fichier de profils n&apos;a pas pu être utilisé : %1. Il a été conservé sous %2, et les profils repartent de ce qui a pu en être lu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open Folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The profile file %1 is open read-only: %2. Changes made here are not saved.</source>
        <translation>Le fichier de profils %1 est ouvert en lecture seule : %2. Les modifications faites ici ne sont pas enregistrées.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>“%1” was changed here and in another VerifyFull at the same time. Both versions are kept: the other one as “%2”.</source>
        <translation>« %1 » a été modifié ici et dans une autre instance de VerifyFull en même temps. Les deux versions sont conservées : l&apos;autre sous « %2 ».</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Profiles changed by another VerifyFull were loaded.</source>
        <translation>Les profils modifiés par une autre instance de VerifyFull ont été chargés.</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Reading the keychain…</source>
        <translation>Lecture du trousseau…</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Saving to the keychain…</source>
        <translation>Enregistrement dans le trousseau…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No keychain is available (no Secret Service is running), so passwords cannot be remembered. They are asked for when a test needs them and kept only until VerifyFull closes; they are never written to disk.</source>
        <translation>Aucun trousseau n&apos;est disponible (aucun Secret Service n&apos;est en cours d&apos;exécution) : les mots de passe ne peuvent donc pas être mémorisés. Ils sont demandés lorsqu&apos;un test en a besoin et conservés uniquement jusqu&apos;à la fermeture de VerifyFull ; ils ne sont jamais écrits sur le disque.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>the password</source>
        <translation>le mot de passe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the key password</source>
        <translation>le mot de passe de la clé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the keychain is locked or refused access</source>
        <translation>le trousseau est verrouillé ou a refusé l&apos;accès</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The keychain could not handle %1 of “%2”: %3. It is asked for when a test needs it.</source>
        <translation>Le trousseau n&apos;a pas pu traiter %1 de « %2 » : %3. Il sera demandé lorsqu&apos;un test en aura besoin.</translation>
    </message>
    <message>
        <location line="-148"/>
        <source>Could not save the CA certificate to %1: %2</source>
        <translation>Impossible d&apos;enregistrer le certificat de l&apos;AC dans %1 : %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved the CA certificate as %1; the profile now uses verify-full.</source>
        <translation>Certificat de l&apos;AC enregistré sous %1 ; le profil utilise désormais verify-full.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>About VerifyFull</source>
        <translation>À propos de VerifyFull</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;VerifyFull %1&lt;/b&gt;&lt;p&gt;Get PostgreSQL TLS connections right: settings, certificates and a clear diagnosis, the way libpq does it.&lt;/p&gt;</source>
        <translation>&lt;b&gt;VerifyFull %1&lt;/b&gt;&lt;p&gt;Des connexions TLS PostgreSQL bien configurées : paramètres, certificats et diagnostic clair, à la manière de libpq.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>vf::ui::MessageBar</name>
    <message>
        <location filename="../ui/main/MessageBar.cpp" line="+63"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide this message</source>
        <translation>Masquer ce message</translation>
    </message>
</context>
<context>
    <name>vf::ui::PemConverter</name>
    <message>
        <location filename="../ui/widgets/PemConverter.cpp" line="+122"/>
        <source>could not replace &quot;%1&quot;</source>
        <translation>impossible de remplacer « %1 »</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the file or choose another folder, then convert again.</source>
        <translation>Supprimez le fichier ou choisissez un autre dossier, puis relancez la conversion.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>could not create &quot;%1&quot;: %2</source>
        <translation>impossible de créer « %1 » : %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the folder is writable.</source>
        <translation>Vérifiez que le dossier est accessible en écriture.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>could not write &quot;%1&quot;: %2</source>
        <translation>impossible d&apos;écrire « %1 » : %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the free space and that the folder is writable.</source>
        <translation>Vérifiez l&apos;espace disponible et que le dossier est accessible en écriture.</translation>
    </message>
</context>
<context>
    <name>vf::ui::Profile</name>
    <message>
        <location filename="../ui/profiles/Profile.cpp" line="+57"/>
        <source>(local socket)</source>
        <translation>(socket local)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>passed</source>
        <translation>réussi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>échoué</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not tested</source>
        <translation>non testé</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>a profile has no valid id</source>
        <translation>un profil n&apos;a pas d&apos;identifiant valide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The entry was written by another program or edited by hand.</source>
        <translation>L&apos;entrée a été écrite par un autre programme ou modifiée à la main.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>profile &quot;%1&quot; has no list of settings</source>
        <translation>le profil « %1 » n&apos;a pas de liste de paramètres</translation>
    </message>
</context>
<context>
    <name>vf::ui::ProfileEditor</name>
    <message>
        <location filename="../ui/profiles/ProfileEditor.cpp" line="+42"/>
        <location line="+29"/>
        <location line="+6"/>
        <location line="+8"/>
        <location line="+9"/>
        <location line="+9"/>
        <source>Not set</source>
        <translation>Non défini</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>Not set here: libpq uses PGSSLMODE or a service file if they set it, else prefer (verify-full with sslrootcert=system).</source>
        <translation>Non défini ici : libpq utilise PGSSLMODE ou un fichier de services s&apos;ils le définissent, sinon prefer (verify-full avec sslrootcert=system).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>disable — no encryption</source>
        <translation>disable — aucun chiffrement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Never encrypted: everything, passwords included, crosses the network as plain text.</source>
        <translation>Jamais chiffré : tout, y compris les mots de passe, transite sur le réseau en clair.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>allow — plaintext first</source>
        <translation>allow — en clair d&apos;abord</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plaintext first; TLS only if the server insists. The server is never checked.</source>
        <translation>En clair d&apos;abord ; TLS seulement si le serveur l&apos;exige. Le serveur n&apos;est jamais vérifié.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>prefer — TLS if offered</source>
        <translation>prefer — TLS si proposé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS when the server offers it, otherwise silently plain text (libpq&apos;s default). The server is not checked.</source>
        <translation>TLS quand le serveur le propose, sinon silencieusement en clair (valeur par défaut de libpq). Le serveur n&apos;est pas vérifié.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>require — encrypted, server not checked</source>
        <translation>require — chiffré, serveur non vérifié</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Always encrypted, but any server certificate is accepted (unless a root certificate file exists: then it behaves as verify-ca).</source>
        <translation>Toujours chiffré, mais n&apos;importe quel certificat de serveur est accepté (sauf si un fichier de certificats racines existe : il se comporte alors comme verify-ca).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>verify-ca — encrypted, CA checked</source>
        <translation>verify-ca — chiffré, AC vérifiée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encrypted, and the server&apos;s certificate must come from your CA; the host name is not checked.</source>
        <translation>Chiffré, et le certificat du serveur doit provenir de votre AC ; le nom d&apos;hôte n&apos;est pas vérifié.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>verify-full — CA and host name checked</source>
        <translation>verify-full — AC et nom d&apos;hôte vérifiés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encrypted, from your CA, and issued for the host you connect to. The safe choice.</source>
        <translation>Chiffré, émis par votre AC et pour l&apos;hôte auquel vous vous connectez. Le choix sûr.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>On — send the host name (1)</source>
        <translation>Activé — envoyer le nom d&apos;hôte (1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Off (0)</source>
        <translation>Désactivé (0)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>postgres — ask the server first</source>
        <translation>postgres — interroger d&apos;abord le serveur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Works with every server version.</source>
        <translation>Fonctionne avec toutes les versions du serveur.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>direct — start with TLS (PostgreSQL 17+)</source>
        <translation>direct — commencer par TLS (PostgreSQL 17+)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saves a round trip; needs a PostgreSQL 17+ server and sslmode require or stricter.</source>
        <translation>Économise un aller-retour ; nécessite un serveur PostgreSQL 17+ et un sslmode require ou plus strict.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>disable — never send a certificate</source>
        <translation>disable — ne jamais envoyer de certificat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>allow — send one if asked</source>
        <translation>allow — en envoyer un si demandé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>require — the server must ask for one</source>
        <translation>require — le serveur doit en demander un</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>disable</source>
        <translation>disable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prefer — when the server supports it</source>
        <translation>prefer — si le serveur la prend en charge</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>require — refuse without it</source>
        <translation>require — refuser sans elle</translation>
    </message>
    <message>
        <location line="+170"/>
        <source>Root certificate</source>
        <translation>Certificat racine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRL file</source>
        <translation>Fichier CRL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRL directory</source>
        <translation>Répertoire CRL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client certificate</source>
        <translation>Certificat client</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client key</source>
        <translation>Clé client</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key password</source>
        <translation>Mot de passe de la clé</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the client certificate</source>
        <translation>le certificat client</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Where %1 comes from</source>
        <translation>Provenance de %1</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>No keychain is available (no Secret Service is running), so this is asked for when a test needs it and kept until VerifyFull closes.</source>
        <translation>Aucun trousseau n&apos;est disponible (aucun Secret Service n&apos;est en cours d&apos;exécution) : ce mot de passe est donc demandé lorsqu&apos;un test en a besoin et conservé jusqu&apos;à la fermeture de VerifyFull.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Keep it in the system keychain (Secret Service), never in the profile file. Off: it is asked for when a test needs it and kept until VerifyFull closes.</source>
        <translation>Le conserver dans le trousseau du système (Secret Service), jamais dans le fichier de profils. Désactivé : il est demandé lorsqu&apos;un test en a besoin et conservé jusqu&apos;à la fermeture de VerifyFull.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>From the keychain when needed</source>
        <translation>Depuis le trousseau si nécessaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asked when needed</source>
        <translation>Demandé si nécessaire</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>“%1” (not a valid value)</source>
        <translation>« %1 » (valeur non valide)</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>libpq would refuse these settings: %1</source>
        <translation>libpq refuserait ces paramètres : %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Uses service “%1” (%2) from %3</source>
        <translation>Utilise le service « %1 » (%2) de %3</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Not set here: libpq uses %1 (%2)</source>
        <translation>Non défini ici : libpq utilise %1 (%2)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not set here, and there is no %1: libpq sends no password unless the server asks, and then fails.</source>
        <translation>Non défini ici, et %1 n&apos;existe pas : libpq n&apos;envoie aucun mot de passe sauf si le serveur en demande un, et échoue alors.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not set here: libpq looks for the password in %1 (%2)</source>
        <translation>Non défini ici : libpq cherche le mot de passe dans %1 (%2)</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Not used: libpq loads no CRL with the system&apos;s trusted roots</source>
        <translation>Non utilisé : libpq ne charge aucune CRL avec les racines de confiance du système</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not set here: libpq uses the system&apos;s trusted roots (%1)</source>
        <translation>Non défini ici : libpq utilise les racines de confiance du système (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not set here: libpq would use %1, which does not exist</source>
        <translation>Non défini ici : libpq utiliserait %1, qui n&apos;existe pas</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Protection: %1</source>
        <translation>Protection : %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What this protects against</source>
        <translation>Ce contre quoi cela protège</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Settings replaced.</source>
        <translation>Paramètres remplacés.</translation>
    </message>
</context>
<context>
    <name>vf::ui::ProfileListModel</name>
    <message>
        <location filename="../ui/profiles/ProfileListModel.cpp" line="+29"/>
        <source>(unnamed)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sslmode: %1</source>
        <translation>sslmode : %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not set (libpq&apos;s default)</source>
        <translation>non défini (valeur par défaut de libpq)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last test: %1</source>
        <translation>Dernier test : %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1, %2, last test %3</source>
        <translation>%1, %2, dernier test : %3</translation>
    </message>
</context>
<context>
    <name>vf::ui::ProfileListWidget</name>
    <message>
        <location filename="../ui/profiles/ProfileListWidget.cpp" line="+35"/>
        <source>&amp;New Profile</source>
        <translation>&amp;Nouveau profil</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New profile, starting at sslmode=verify-full</source>
        <translation>Nouveau profil, démarrant avec sslmode=verify-full</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uplicate Profile</source>
        <translation>&amp;Dupliquer le profil</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Delete Profile</source>
        <translation>&amp;Supprimer le profil</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Test Connection</source>
        <translation>&amp;Tester la connexion</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Filter Profiles</source>
        <translation>&amp;Filtrer les profils</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>New profile</source>
        <translation>Nouveau profil</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 (copy)</source>
        <translation>%1 (copie)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Deleted “%1”.</source>
        <translation>« %1 » supprimé.</translation>
    </message>
</context>
<context>
    <name>vf::ui::ProfileStore</name>
    <message>
        <location filename="../ui/profiles/ProfileStore.cpp" line="+499"/>
        <location line="+83"/>
        <source>could not read the profiles in &quot;%1&quot;: %2</source>
        <translation>impossible de lire les profils dans « %1 » : %2</translation>
    </message>
    <message>
        <location line="-521"/>
        <source>profile &quot;%1&quot; has no settings object</source>
        <translation>le profil « %1 » n&apos;a pas d&apos;objet de paramètres</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>it is a link to a file that does not exist</source>
        <translation>c&apos;est un lien vers un fichier qui n&apos;existe pas</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is a folder, not a file</source>
        <translation>c&apos;est un dossier, pas un fichier</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is not a regular file</source>
        <translation>ce n&apos;est pas un fichier ordinaire</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is too large to be a profile file (%1 MiB; the limit is %2 MiB)</source>
        <translation>il est trop volumineux pour être un fichier de profils (%1 Mio ; la limite est de %2 Mio)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+6"/>
        <source>it cannot be read: %1</source>
        <translation>il ne peut pas être lu : %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>it is too large to be a profile file (the limit is %1 MiB)</source>
        <translation>il est trop volumineux pour être un fichier de profils (la limite est de %1 Mio)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is empty</source>
        <translation>il est vide</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>it is not valid JSON (%1 at byte %2): it may have been cut off or edited</source>
        <translation>ce n&apos;est pas du JSON valide (%1 à l&apos;octet %2) : il a peut-être été tronqué ou modifié</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>it is not a VerifyFull profile file</source>
        <translation>ce n&apos;est pas un fichier de profils VerifyFull</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>it has no valid format version</source>
        <translation>il n&apos;a pas de version de format valide</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>it was written by a newer VerifyFull (format %1; this version writes format %2)</source>
        <translation>il a été écrit par une version plus récente de VerifyFull (format %1 ; cette version écrit le format %2)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its list of profiles is not a list</source>
        <translation>sa liste de profils n&apos;est pas une liste</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>two profiles have the same id %1</source>
        <translation>deux profils ont le même identifiant %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>an entry cannot be read: %1</source>
        <translation>une entrée ne peut pas être lue : %1</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>%1 (conflict)</source>
        <translation>%1 (conflit)</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>could not create the folder &quot;%1&quot;</source>
        <translation>impossible de créer le dossier « %1 »</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>Check the folder&apos;s permissions; the profiles are not saved.</source>
        <translation>Vérifiez les permissions du dossier ; les profils ne sont pas enregistrés.</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>could not create the lock file &quot;%1&quot;</source>
        <translation>impossible de créer le fichier de verrou « %1 »</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; stayed locked by another VerifyFull</source>
        <translation>« %1 » est resté verrouillé par une autre instance de VerifyFull</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another running VerifyFull is writing its profiles; they are saved again shortly.</source>
        <translation>Une autre instance de VerifyFull en cours d&apos;exécution écrit ses profils ; ils seront enregistrés à nouveau sous peu.</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+7"/>
        <source>could not write &quot;%1&quot;: %2</source>
        <translation>impossible d&apos;écrire « %1 » : %2</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Check the folder&apos;s permissions; the previous file is unchanged.</source>
        <translation>Vérifiez les permissions du dossier ; le fichier précédent est inchangé.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check the free space and the folder&apos;s permissions; the previous file is unchanged.</source>
        <translation>Vérifiez l&apos;espace disponible et les permissions du dossier ; le fichier précédent est inchangé.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>it is in the older format %1, and a copy could not be kept as &quot;%2&quot; before upgrading it</source>
        <translation>il est dans l&apos;ancien format %1, et une copie n&apos;a pas pu être conservée sous « %2 » avant sa mise à niveau</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>It could not be moved aside either, so it is left as it is and nothing is saved over it. Move or repair the file, then start VerifyFull again.</source>
        <translation>Il n&apos;a pas non plus pu être mis de côté : il est donc laissé tel quel et rien n&apos;est enregistré par-dessus. Déplacez ou réparez le fichier, puis relancez VerifyFull.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>the profiles are not saved: &quot;%1&quot; could not be read and is left as it is</source>
        <translation>les profils ne sont pas enregistrés : « %1 » n&apos;a pas pu être lu et est laissé tel quel</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the profiles are not saved: &quot;%1&quot; is open read-only</source>
        <translation>les profils ne sont pas enregistrés : « %1 » est ouvert en lecture seule</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>could not keep a copy of the older profile file as &quot;%1&quot;</source>
        <translation>impossible de conserver une copie de l&apos;ancien fichier de profils sous « %1 »</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file is left as it is; the profiles are not saved.</source>
        <translation>Le fichier est laissé tel quel ; les profils ne sont pas enregistrés.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the profiles are not saved: a newer VerifyFull wrote &quot;%1&quot;</source>
        <translation>les profils ne sont pas enregistrés : une version plus récente de VerifyFull a écrit « %1 »</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>It could not be moved aside either, so nothing is saved over it.</source>
        <translation>Il n&apos;a pas non plus pu être mis de côté : rien n&apos;est donc enregistré par-dessus.</translation>
    </message>
</context>
<context>
    <name>vf::ui::RiskTable</name>
    <message>
        <location filename="../ui/risk/RiskTable.cpp" line="+113"/>
        <source>libpq refuses to connect: &lt;tt&gt;%1&lt;/tt&gt;&lt;br&gt;%2</source>
        <translation>libpq refuse de se connecter : &lt;tt&gt;%1&lt;/tt&gt;&lt;br&gt;%2</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Good to know</source>
        <translation>Bon à savoir</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set %1=%2 in this profile</source>
        <translation>Définir %1=%2 dans ce profil</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show setting</source>
        <translation>Afficher le paramètre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to %1 in the editor</source>
        <translation>Aller à %1 dans l&apos;éditeur</translation>
    </message>
</context>
<context>
    <name>vf::ui::SettingsPreview</name>
    <message>
        <location filename="../ui/interop/SettingsPreview.cpp" line="+19"/>
        <location line="+2"/>
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>•••••• (hidden)</source>
        <translation>•••••• (masqué)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>line %1</source>
        <translation>ligne %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>(no settings)</source>
        <translation>(aucun paramètre)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Comment: %1</source>
        <translation>Commentaire : %1</translation>
    </message>
</context>
<context>
    <name>vf::ui::SslModeRiskModel</name>
    <message>
        <location filename="../ui/risk/SslModeRiskModel.cpp" line="+71"/>
        <source>(this profile)</source>
        <translation>(ce profil)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(in effect)</source>
        <translation>(en vigueur)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(chosen)</source>
        <translation>(choisi)</translation>
    </message>
</context>
<context>
    <name>vf::ui::TestPanel</name>
    <message>
        <location filename="../ui/test/TestPanel.cpp" line="+73"/>
        <source>Press Test to connect with these settings. Each phase appears above as it happens; the result, what it means and how to fix it appear here.</source>
        <translation>Cliquez sur Tester pour vous connecter avec ces paramètres. Chaque phase apparaît ci-dessus au fur et à mesure ; le résultat, sa signification et la façon d&apos;y remédier apparaissent ici.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cancel Test</source>
        <translation>Annuler le test</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Key Passphrase</source>
        <translation>Phrase secrète de la clé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The private key %1 is encrypted.
Its passphrase is used for this test only and is not stored:</source>
        <translation>La clé privée %1 est chiffrée.
Sa phrase secrète n&apos;est utilisée que pour ce test et n&apos;est pas enregistrée :</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server asks for a password.
It is kept until VerifyFull closes, not stored:</source>
        <translation>Le serveur demande un mot de passe.
Il est conservé jusqu&apos;à la fermeture de VerifyFull, sans être enregistré :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server asks for the password of user %1.
It is kept until VerifyFull closes, not stored:</source>
        <translation>Le serveur demande le mot de passe de l&apos;utilisateur %1.
Il est conservé jusqu&apos;à la fermeture de VerifyFull, sans être enregistré :</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>No connection selected</source>
        <translation>Aucune connexion sélectionnée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The connection string is not valid</source>
        <translation>La chaîne de connexion n&apos;est pas valide</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1@%2:%3/%4 · sslmode %5</source>
        <translation>%1@%2:%3/%4 · sslmode %5</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>The connection string is not valid.</source>
        <translation>La chaîne de connexion n&apos;est pas valide.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection settings could not be resolved.</source>
        <translation>Les paramètres de connexion n&apos;ont pas pu être résolus.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection settings are not valid.</source>
        <translation>Les paramètres de connexion ne sont pas valides.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Waiting for the key passphrase…</source>
        <translation>En attente de la phrase secrète de la clé…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Canceled: no passphrase was given for the client key.</source>
        <translation>Annulé : aucune phrase secrète n&apos;a été fournie pour la clé client.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Testing…</source>
        <translation>Test en cours…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Canceled before it started.</source>
        <translation>Annulé avant le démarrage.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Canceling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Testing: %1…</source>
        <translation>Test en cours : %1…</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Read the warnings below.</source>
        <translation>Lisez les avertissements ci-dessous.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+104"/>
        <source>Canceled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location line="-103"/>
        <source>Finished in %1</source>
        <translation>Terminé en %1</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Waiting for the password…</source>
        <translation>En attente du mot de passe…</translation>
    </message>
    <message>
        <location line="-124"/>
        <location line="+138"/>
        <source>Canceled: no password was given.</source>
        <translation>Annulé : aucun mot de passe n&apos;a été fourni.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Chain presented by %1</source>
        <translation>Chaîne présentée par %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not started</source>
        <translation>Non démarré</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&lt;b&gt;Trust this server&apos;s CA?&lt;/b&gt;&lt;br/&gt;At the top of its chain the server presented &lt;b&gt;%1&lt;/b&gt;, self-signed, valid until %2. Compare its SHA-256 fingerprint below with the one your provider or administrator publishes (for example from &lt;code&gt;openssl x509 -noout -fingerprint -sha256 -in ca.crt&lt;/code&gt;) and trust it only if they match. It becomes this profile&apos;s root certificate file and the profile switches to sslmode=verify-full.</source>
        <translation>&lt;b&gt;Faire confiance à l&apos;AC de ce serveur ?&lt;/b&gt;&lt;br/&gt;En haut de sa chaîne, le serveur a présenté &lt;b&gt;%1&lt;/b&gt;, autosigné, valide jusqu&apos;au %2. Comparez son empreinte SHA-256 ci-dessous avec celle que publie votre fournisseur ou votre administrateur (par exemple avec &lt;code&gt;openssl x509 -noout -fingerprint -sha256 -in ca.crt&lt;/code&gt;) et ne lui faites confiance que si elles sont identiques. Il devient le fichier de certificat racine de ce profil, et le profil passe à sslmode=verify-full.</translation>
    </message>
</context>
<context>
    <name>vf::ui::TestReportHtml</name>
    <message>
        <location filename="../ui/test/TestReportHtml.cpp" line="+46"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Note</source>
        <translation>Remarque</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>libpq says:</source>
        <translation>libpq indique :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The fix:</source>
        <translation>Solution :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fixes, most direct first:</source>
        <translation>Solutions, de la plus directe à la moins directe :</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Based on:</source>
        <translation>Constats :</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>socket %1</source>
        <translation>socket %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Encryption</source>
        <translation>Chiffrement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none: the connection is plaintext</source>
        <translation>aucun : la connexion est en clair</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no TLS session was started</source>
        <translation>aucune session TLS n&apos;a été démarrée</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Protocol</source>
        <translation>Protocole</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cipher</source>
        <translation>Suite de chiffrement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2 bits)</source>
        <translation>%1 (%2 bits)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ALPN</source>
        <translation>ALPN</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SNI sent</source>
        <translation>SNI envoyé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client certificate</source>
        <translation>Certificat client</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requested: %1, sent: %2</source>
        <translation>demandé : %1, envoyé : %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not verified (no root certificates were loaded)</source>
        <translation>non vérifié (aucun certificat racine n&apos;a été chargé)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verified against %1</source>
        <translation>vérifié avec %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verification failed at depth %1: %2 (root certificates: %3)</source>
        <translation>échec de la vérification à la profondeur %1 : %2 (certificats racines : %3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Server certificate</source>
        <translation>Certificat du serveur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CRL checking</source>
        <translation>Vérification des CRL</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Host name</source>
        <translation>Nom d&apos;hôte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 matches the certificate&apos;s name %2</source>
        <translation>%1 correspond au nom %2 du certificat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is not named by the certificate</source>
        <translation>%1 n&apos;est pas mentionné par le certificat</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Certificate</source>
        <translation>Certificat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid until</source>
        <translation>Valide jusqu&apos;au</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>issued by %1</source>
        <translation>émis par %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Connected</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected, with warnings</source>
        <translation>Connecté, avec des avertissements</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The connection failed.</source>
        <translation>La connexion a échoué.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Server certificate chain</source>
        <translation>Chaîne de certificats du serveur</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+16"/>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Authentication</source>
        <translation>Authentification</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channel binding</source>
        <translation>Liaison de canal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pg_stat_ssl</source>
        <translation>pg_stat_ssl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, %2 (%3 bits)</source>
        <translation>%1, %2 (%3 bits)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client certificate DN</source>
        <translation>DN du certificat client</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Backend PID</source>
        <translation>PID du backend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total time</source>
        <translation>Durée totale</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>connected</source>
        <translation>connecté</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Settings used</source>
        <translation>Paramètres utilisés</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The connection settings are not valid; nothing was sent to the server.</source>
        <translation>Les paramètres de connexion ne sont pas valides ; rien n&apos;a été envoyé au serveur.</translation>
    </message>
</context>
<context>
    <name>vf::ui::TimelineView</name>
    <message>
        <location filename="../ui/widgets/TimelineView.cpp" line="+58"/>
        <source>Phase</source>
        <translation>Phase</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Timeline</source>
        <translation>Chronologie</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Connection timeline</source>
        <translation>Chronologie de la connexion</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+2"/>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>DNS lookup</source>
        <translation>Résolution DNS</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TCP connect</source>
        <translation>Connexion TCP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SSL negotiation</source>
        <translation>Négociation SSL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TLS handshake</source>
        <translation>Handshake TLS</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Startup</source>
        <translation>Démarrage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Authentication</source>
        <translation>Authentification</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terminate</source>
        <translation>Fin de session</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>running</source>
        <translation>en cours</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>canceled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Attempt %1</source>
        <translation>Tentative %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Attempt %1: %2</source>
        <translation>Tentative %1 : %2</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 (failed)</source>
        <translation>%1 (échec)</translation>
    </message>
    <message>
        <location line="-122"/>
        <location line="+125"/>
        <source>%1 (canceled)</source>
        <translation>%1 (annulation)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location line="-126"/>
        <location line="+134"/>
        <source>running… %1</source>
        <translation>en cours… %1</translation>
    </message>
</context>
<context>
    <name>vf::wire::BackendMessageReader</name>
    <message>
        <location filename="../core/wire/BackendMessageReader.cpp" line="+50"/>
        <source>invalid message length %1 for message type &quot;%2&quot;</source>
        <translation>longueur de message %1 non valide pour le type de message &quot;%2&quot;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server sent a message whose length is impossible: this is not a PostgreSQL server, or the stream is corrupted.</source>
        <translation>Le serveur a envoyé un message dont la longueur est impossible : ce n&apos;est pas un serveur PostgreSQL, ou le flux est corrompu.</translation>
    </message>
</context>
</TS>
