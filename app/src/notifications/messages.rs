//! The French text and HTML of each notification. Pure functions: every value
//! coming from users (RG, names) is HTML-escaped in the HTML version.

use super::Courriel;

/// A subject with its text and HTML bodies, not yet addressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub sujet: String,
    pub texte: String,
    pub html: String,
}

impl Message {
    /// The same message addressed to `destinataire`.
    pub fn pour(&self, destinataire: &str) -> Courriel {
        Courriel { destinataire: destinataire.to_string(), sujet: self.sujet.clone(), texte: self.texte.clone(), html: self.html.clone() }
    }
}

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const SIGNATURE: &str = "L'équipe e-MJPM\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.";

/// Builds a message from paragraphs (plain text; escaped for HTML) and a link.
fn build(sujet: String, titre: &str, paragraphes: &[String], lien_libelle: &str, lien: &str) -> Message {
    let mut texte = String::from("Bonjour,\n\n");
    for p in paragraphes {
        texte.push_str(p);
        texte.push_str("\n\n");
    }
    texte.push_str(&format!("{lien_libelle} : {lien}\n\n{SIGNATURE}\n"));

    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: Marianne, Arial, sans-serif; color: #161616;\">\n<h1 style=\"font-size: 1.25rem;\">{}</h1>\n<p>Bonjour,</p>\n",
        escape_html(&sujet),
        escape_html(titre)
    );
    for p in paragraphes {
        html.push_str(&format!("<p>{}</p>\n", escape_html(p)));
    }
    html.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>\n<p>L'équipe e-MJPM</p>\n<p style=\"color: #666;\">Ce message est envoyé automatiquement, merci de ne pas y répondre.</p>\n</body></html>\n",
        escape_html(lien),
        escape_html(lien_libelle)
    ));
    Message { sujet, texte, html }
}

/// To the professional: a judge reserved a measure with them.
pub fn reservation(rg: &str, tribunal: &str, nature_label: &str, urgent: bool, lien: &str) -> Message {
    let rg = crate::rules::rg::display_rg(rg);
    let prefixe = if urgent { "[URGENT] " } else { "" };
    let sujet = format!("{prefixe}Nouvelle mesure réservée : RG {rg}");
    let mut paragraphes = vec![
        "Une mesure de protection vous a été réservée dans e-MJPM.".to_string(),
        format!("Numéro RG : {rg}"),
        format!("Tribunal : {tribunal}"),
        format!("Nature : {nature_label}"),
    ];
    if urgent {
        paragraphes.push("Le tribunal a signalé cette mesure comme urgente.".to_string());
    }
    paragraphes.push(
        "Merci de l'accepter dans e-MJPM dès réception du jugement, en indiquant la date de nomination et le lieu de vie.".to_string(),
    );
    build(sujet, "Nouvelle mesure réservée", &paragraphes, "Voir mes mesures en attente", lien)
}

/// To the user: its password was changed (if it was not them, they must react).
pub fn mot_de_passe_change(lien: &str) -> Message {
    let paragraphes = vec![
        "Le mot de passe de votre compte e-MJPM vient d'être changé ; vos autres sessions ont été fermées.".to_string(),
        "Si vous n'êtes pas à l'origine de ce changement, prévenez immédiatement l'équipe e-MJPM.".to_string(),
    ];
    build("Votre mot de passe e-MJPM a été changé".to_string(), "Mot de passe changé", &paragraphes, "Voir mon compte", lien)
}

/// To a user who has not signed in for months: the account will be deactivated.
pub fn inactivite(mois: u32, delai_mois: u32, lien: &str) -> Message {
    let paragraphes = vec![
        format!("Vous ne vous êtes pas connecté à e-MJPM depuis {mois} mois."),
        format!(
            "Pour protéger les données des personnes protégées, votre compte sera désactivé dans {delai_mois} mois \
             si vous ne vous connectez pas d'ici là. Une connexion suffit à le garder actif."
        ),
        "Si vous n'avez plus besoin de ce compte, vous pouvez ignorer ce message.".to_string(),
    ];
    build("Votre compte e-MJPM sera bientôt désactivé".to_string(), "Compte inactif", &paragraphes, "Me connecter", lien)
}

/// To the user who asked: the link that sets a new password.
pub fn reinitialisation(lien: &str, validite_minutes: i64) -> Message {
    let paragraphes = vec![
        "Vous avez demandé à choisir un nouveau mot de passe pour votre compte e-MJPM.".to_string(),
        format!("Le lien ci-dessous est valable {validite_minutes} minutes et ne sert qu'une fois."),
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe ne change pas.".to_string(),
    ];
    build(
        "Choisir un nouveau mot de passe e-MJPM".to_string(),
        "Nouveau mot de passe",
        &paragraphes,
        "Choisir mon nouveau mot de passe",
        lien,
    )
}

/// To a person an admin of its service invited: the link that opens its account.
pub fn invitation(service: &str, invitant: &str, lien: &str, validite_jours: i64) -> Message {
    let paragraphes = vec![
        format!("{invitant} vous invite à rejoindre le service mandataire « {service} » dans e-MJPM."),
        "e-MJPM permet aux juges des tutelles de voir en temps réel qui peut prendre une mesure, et aux mandataires \
         de suivre leurs mesures et leur capacité."
            .to_string(),
        format!(
            "Choisissez votre mot de passe avec le lien ci-dessous, valable {validite_jours} jours et une seule fois ; \
                 votre adresse électronique sera votre identifiant."
        ),
        "Si vous ne connaissez pas ce service, ignorez ce message.".to_string(),
    ];
    build(format!("Invitation à rejoindre {service} sur e-MJPM"), "Invitation", &paragraphes, "Choisir mon mot de passe", lien)
}

/// To a person the team invites (and, `rappel`, its one reminder): what
/// e-MJPM is, the role and attachment the team imported, the personal link to
/// the prefilled sign-up form, and how to stop these invitations.
pub fn invitation_equipe(
    prenom: &str,
    role: &str,
    rattachement: &str,
    lien: &str,
    lien_refus: &str,
    validite: &str,
    rappel: bool,
) -> Message {
    let mut paragraphes = Vec::new();
    if rappel {
        paragraphes.push(format!("{prenom}, nous vous avons invité à e-MJPM il y a une semaine : votre lien vous attend toujours."));
    } else {
        paragraphes.push(format!("{prenom}, l'équipe e-MJPM vous invite à utiliser le service dans votre territoire."));
    }
    paragraphes.push(
        "e-MJPM permet aux juges des tutelles de voir en temps réel quel mandataire peut prendre une mesure près de la personne \
         protégée, et aux mandataires de déclarer leur capacité et de suivre leurs mesures."
            .to_string(),
    );
    paragraphes.push(format!("Votre profil : {role} — {rattachement}."));
    paragraphes.push(format!(
        "Le lien ci-dessous ouvre votre demande de compte déjà remplie : il vous reste à choisir votre mot de passe. \
         Il est personnel, sert une seule fois et reste valable jusqu'au {validite}. Si les informations sont justes, \
         votre compte est activé aussitôt."
    ));
    paragraphes.push(format!("Pour ne plus recevoir ces invitations : {lien_refus}"));
    let sujet = if rappel { "Rappel : votre invitation à e-MJPM" } else { "Votre invitation à e-MJPM" };
    build(sujet.to_string(), "Invitation à e-MJPM", &paragraphes, "Créer mon compte", lien)
}

/// To a user gone quiet: why? Each answer is a link to the one-question page
/// with that answer chosen.
pub fn pourquoi(prenom: &str, liens: &[(String, String)], page: &str) -> Message {
    let mut paragraphes = vec![
        format!("{prenom}, vous n'avez pas utilisé e-MJPM depuis un moment. Pour l'améliorer, nous aimerions savoir pourquoi : choisissez ci-dessous ce qui vous correspond le mieux (une page s'ouvre, il reste à confirmer)."),
    ];
    for (label, lien) in liens {
        paragraphes.push(format!("{label} : {lien}"));
    }
    paragraphes.push("Merci : votre réponse est lue par l'équipe e-MJPM et ne sert qu'à améliorer le service.".to_string());
    build("Pourquoi n'utilisez-vous plus e-MJPM ?".to_string(), "Une question, une réponse", &paragraphes, "Répondre", page)
}

/// To the administrators: a run of failed sign-ins locked an account for a while.
pub fn verrouillage(email: &str, ip: &str, lien: &str) -> Message {
    let minutes = crate::rules::throttle::FENETRE_SECONDES / 60;
    let essais = match crate::rules::throttle::PAR_ADRESSE_DEPUIS_IP_INCONNUE {
        crate::rules::throttle::Limites::Bloquer { des } | crate::rules::throttle::Limites::Ralentir { des } => des,
    };
    let paragraphes = vec![
        format!(
            "Le compte {email} a atteint {essais} tentatives de connexion en moins de {minutes} minutes depuis des \
             adresses IP où il ne s'est jamais connecté : la connexion depuis ces adresses est bloquée pendant {minutes} \
             minutes. Depuis ses appareils habituels, l'utilisateur se connecte normalement ; il a reçu un lien pour \
             se connecter depuis un nouvel appareil."
        ),
        format!("Adresse IP de la dernière tentative : {ip}"),
        "Si ces tentatives ne viennent pas de l'utilisateur, elles peuvent révéler une attaque : \
         vérifiez le journal d'audit et prévenez l'utilisateur."
            .to_string(),
    ];
    build(
        format!("Compte bloqué après des échecs de connexion : {email}"),
        "Connexion bloquée",
        &paragraphes,
        "Ouvrir l'administration",
        lien,
    )
}

/// To the owner of an address blocked for unknown IPs: a link that lets the
/// device opening it sign in all the same.
pub fn deverrouillage(ip: &str, lien: &str) -> Message {
    let minutes = crate::accounts::throttle::DEVERROUILLAGE_MINUTES;
    let paragraphes = vec![
        format!(
            "De nombreuses tentatives de connexion à votre compte e-MJPM ont échoué, la dernière depuis l'adresse IP {ip}. \
             Pour vous protéger, la connexion à votre compte depuis un appareil où vous ne vous êtes jamais connecté est \
             bloquée pour un moment ; depuis vos appareils habituels, rien ne change."
        ),
        format!(
            "Si vous devez vous connecter depuis un nouvel appareil, ouvrez le lien ci-dessous sur cet appareil et \
             connectez-vous avec votre mot de passe (lien valable {minutes} minutes, une seule fois)."
        ),
        "Si ces tentatives ne viennent pas de vous, quelqu'un connaît peut-être votre adresse : choisissez un mot de \
         passe que vous n'utilisez nulle part ailleurs. Vous n'avez rien d'autre à faire."
            .to_string(),
    ];
    build(
        "Tentatives de connexion à votre compte e-MJPM".to_string(),
        "Connexion bloquée depuis les appareils inconnus",
        &paragraphes,
        "Me connecter depuis cet appareil",
        lien,
    )
}

/// To the person who signed up: the request is recorded, an administrator decides.
pub fn inscription_recue(role: &str, lien: &str) -> Message {
    let paragraphes = vec![
        format!("Votre demande d'inscription à e-MJPM ({role}) est bien enregistrée."),
        "L'équipe e-MJPM la vérifie : vous recevrez un courriel dès que votre compte sera activé, \
         ou s'il ne peut pas l'être. Vous pourrez alors vous connecter avec l'adresse et le mot de passe choisis."
            .to_string(),
        "Si vous n'avez pas demandé d'inscription, ignorez ce message : le compte ne sera pas activé sans vérification.".to_string(),
    ];
    build("Votre demande d'inscription à e-MJPM".to_string(), "Demande d'inscription enregistrée", &paragraphes, "Page de connexion", lien)
}

/// To the administrators: a sign-up waits for their decision.
pub fn inscription_a_valider(nom: &str, role: &str, lien: &str) -> Message {
    let paragraphes = vec![
        format!("{nom} demande un compte e-MJPM : {role}."),
        "Vérifiez sa demande, rattachez-la à la liste blanche s'il s'agit d'un mandataire, puis validez-la ou refusez-la.".to_string(),
    ];
    build(format!("Inscription à valider : {nom}"), "Inscription à valider", &paragraphes, "Voir les inscriptions", lien)
}

/// To an address that already has an account, when someone signs up with it
/// (the page answered as for any sign-up: nobody learns who is registered).
pub fn inscription_adresse_connue(lien: &str) -> Message {
    let paragraphes = vec![
        "Une demande d'inscription à e-MJPM vient d'être faite avec votre adresse électronique, \
         qui a déjà un compte : aucun nouveau compte n'a été créé."
            .to_string(),
        "Si c'est vous et que vous avez oublié votre mot de passe, choisissez-en un nouveau avec le lien ci-dessous. \
         Sinon, ignorez ce message."
            .to_string(),
    ];
    build("Votre adresse a déjà un compte e-MJPM".to_string(), "Compte existant", &paragraphes, "Mot de passe oublié", lien)
}

/// To the person: an administrator activated the account.
pub fn inscription_validee(lien: &str) -> Message {
    let paragraphes = vec![
        "Votre compte e-MJPM est activé.".to_string(),
        "Vous pouvez vous connecter avec votre adresse électronique et le mot de passe choisi à l'inscription.".to_string(),
    ];
    build("Votre compte e-MJPM est activé".to_string(), "Compte activé", &paragraphes, "Se connecter", lien)
}

/// To the person: an administrator refused the sign-up, with the reason.
pub fn inscription_refusee(motif: &str, lien: &str) -> Message {
    let paragraphes = vec![
        "Votre demande d'inscription à e-MJPM n'a pas été acceptée. Les informations saisies ont été supprimées.".to_string(),
        format!("Motif : {motif}"),
        "Vous pouvez faire une nouvelle demande en tenant compte de ce motif.".to_string(),
    ];
    build(
        "Votre demande d'inscription à e-MJPM n'est pas acceptée".to_string(),
        "Inscription refusée",
        &paragraphes,
        "Nouvelle demande",
        lien,
    )
}

/// To the professional: the court cancelled a reservation.
pub fn annulation(rg: &str, tribunal: &str, lien: &str) -> Message {
    let rg = crate::rules::rg::display_rg(rg);
    let sujet = format!("Réservation annulée : RG {rg}");
    let paragraphes = vec![
        format!("Le tribunal a annulé la réservation de la mesure numéro RG {rg}."),
        format!("Tribunal : {tribunal}"),
        "Cette mesure ne figure plus parmi vos mesures en attente ; vos disponibilités ont été mises à jour.".to_string(),
    ];
    build(sujet, "Réservation annulée", &paragraphes, "Voir mes mesures", lien)
}

/// To the professional: the court changed a reservation not yet accepted.
pub fn modification(rg: &str, tribunal: &str, changes: &[&str], urgent: bool, lien: &str) -> Message {
    let rg = crate::rules::rg::display_rg(rg);
    let sujet = format!("{}Réservation modifiée : RG {rg}", if urgent { "[URGENT] " } else { "" });
    let paragraphes = vec![
        format!("Le tribunal a modifié la réservation de la mesure numéro RG {rg}, que vous n'avez pas encore acceptée."),
        format!("Tribunal : {tribunal}"),
        format!("Modifié : {}", changes.join(", ")),
    ];
    build(sujet, "Réservation modifiée", &paragraphes, "Voir la mesure", lien)
}

/// To the judge (or greffier) who reserved: the professional accepted the measure.
pub fn acceptation(rg: &str, gestionnaire: &str, lien: &str) -> Message {
    let rg = crate::rules::rg::display_rg(rg);
    let sujet = format!("Mesure acceptée : RG {rg}");
    let paragraphes =
        vec![format!("La mesure numéro RG {rg} que vous aviez réservée a été acceptée."), format!("Mandataire : {gestionnaire}")];
    build(sujet, "Mesure acceptée", &paragraphes, "Voir les mesures du tribunal", lien)
}

/// To the judge (or greffier) who reserved: the professional declined the measure.
pub fn refus(rg: &str, gestionnaire: &str, motif: &str, lien: &str) -> Message {
    let rg = crate::rules::rg::display_rg(rg);
    let sujet = format!("Réservation refusée : RG {rg}");
    let paragraphes = vec![
        format!("Le mandataire a refusé la mesure numéro RG {rg} que vous aviez réservée."),
        format!("Mandataire : {gestionnaire}"),
        format!("Motif : {motif}"),
        "La mesure n'est plus réservée : vous pouvez la réserver auprès d'un autre mandataire.".to_string(),
    ];
    build(sujet, "Réservation refusée", &paragraphes, "Trouver un autre mandataire", lien)
}

/// To both sides: a reservation left pending for more than two months expired.
pub fn expiration(rg: &str, tribunal: &str, gestionnaire: &str, lien: &str) -> Message {
    let rg = crate::rules::rg::display_rg(rg);
    let sujet = format!("Réservation expirée : RG {rg}");
    let paragraphes = vec![
        format!("La réservation de la mesure numéro RG {rg} est restée en attente plus de deux mois : elle a expiré."),
        format!("Tribunal : {tribunal}"),
        format!("Mandataire : {gestionnaire}"),
        "La mesure est close et ne compte plus dans les disponibilités. Si elle doit encore être confiée, le tribunal peut la réserver à nouveau."
            .to_string(),
    ];
    build(sujet, "Réservation expirée", &paragraphes, "Ouvrir e-MJPM", lien)
}

/// To a person who gave an avis and agreed to be contacted: the team's answer.
pub fn reponse_avis(date_avis: &str, commentaire: &str, reponse: &str, lien: &str) -> Message {
    let mut paragraphes = vec![format!("Vous avez donné votre avis sur e-MJPM le {date_avis}. Merci ! Voici la réponse de l'équipe :")];
    paragraphes.extend(reponse.lines().filter(|l| !l.trim().is_empty()).map(str::to_string));
    if !commentaire.is_empty() {
        paragraphes.push(format!("Votre commentaire : « {commentaire} »"));
    }
    build("Réponse à votre avis sur e-MJPM".into(), "Réponse à votre avis", &paragraphes, "Donner un nouvel avis", lien)
}

/// To the people who asked for a change and agreed to be contacted: it is done.
pub fn evolution_faite(titre: &str, description: &str, lien: &str) -> Message {
    let mut paragraphes =
        vec![format!("Vous nous aviez fait part d'un besoin : l'évolution « {titre} » est désormais en service dans e-MJPM.")];
    if !description.is_empty() {
        paragraphes.push(description.to_string());
    }
    paragraphes.push("Merci pour votre avis : il a compté.".to_string());
    build(format!("Évolution faite dans e-MJPM : {titre}"), "Votre demande est en service", &paragraphes, "Donner un nouvel avis", lien)
}

/// A nudge from the team to a user to rescue: the team's own words (a
/// template it edits, greeting included), then a link to the service.
pub fn relance(sujet: &str, texte: &str, lien: &str) -> Message {
    let paragraphes: Vec<&str> = texte.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let mut corps = paragraphes.join("\n\n");
    corps.push_str(&format!("\n\nSe connecter à e-MJPM : {lien}\n\nL'équipe e-MJPM\n"));
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: Marianne, Arial, sans-serif; color: #161616;\">\n",
        escape_html(sujet)
    );
    for p in &paragraphes {
        html.push_str(&format!("<p>{}</p>\n", escape_html(p).replace('\n', "<br>")));
    }
    html.push_str(&format!("<p><a href=\"{}\">Se connecter à e-MJPM</a></p>\n<p>L'équipe e-MJPM</p>\n</body></html>\n", escape_html(lien)));
    Message { sujet: sujet.to_string(), texte: corps, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgent_reservations_say_so_in_the_subject() {
        let m = reservation("02212345", "tribunal judiciaire de Lille", "Tutelle", true, "https://e.fr/mandataire");
        assert_eq!(m.sujet, "[URGENT] Nouvelle mesure réservée : RG 22/12345", "the court's form of the RG");
        assert!(m.texte.contains("urgente"));
        let m = reservation("02212345", "tribunal judiciaire de Lille", "Tutelle", false, "https://e.fr/mandataire");
        assert_eq!(m.sujet, "Nouvelle mesure réservée : RG 22/12345");
        assert!(!m.sujet.contains("URGENT"));
        assert!(m.texte.contains("Tutelle") && m.texte.contains("https://e.fr/mandataire"));
    }

    #[test]
    fn html_escapes_user_values() {
        let m = acceptation("RG<1>", "Dupont & <script>alert('x')</script>", "https://e.fr/a?b=1&c=\"2\"");
        assert!(m.html.contains("Dupont &amp; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(!m.html.contains("<script>"));
        assert!(m.html.contains("href=\"https://e.fr/a?b=1&amp;c=&quot;2&quot;\""));
        assert!(m.html.contains("RG&lt;1&gt;"));
        // The plain-text part is not escaped.
        assert!(m.texte.contains("Dupont & <script>"));
    }

    #[test]
    fn every_message_names_the_rg_and_the_link() {
        for m in [
            reservation("A1", "T", "Tutelle", false, "L1"),
            annulation("A1", "T", "L1"),
            acceptation("A1", "G", "L1"),
            expiration("A1", "T", "G", "L1"),
        ] {
            assert!(m.sujet.contains("RG A1"));
            assert!(m.texte.starts_with("Bonjour,") && m.texte.contains("L1"));
            assert!(m.html.contains("href=\"L1\"") && m.html.contains("A1"));
        }
        let c = annulation("A1", "T", "L1").pour("x@exemple.fr");
        assert_eq!(c.destinataire, "x@exemple.fr");
        assert!(expiration("A1", "tribunal de Lille", "Martin", "L").texte.contains("deux mois"));
    }

    #[test]
    fn escape_leaves_plain_text_alone() {
        assert_eq!(escape_html("Réservation à Lille"), "Réservation à Lille");
        assert_eq!(escape_html("a&b"), "a&amp;b");
    }
}
