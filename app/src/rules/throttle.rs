//! How sign-in attempts are limited — pure arithmetic; the database side is
//! `accounts::throttle`, which counts and decides in one atomic statement.
//!
//! Three counters, each over a 30-minute window:
//! - per (address typed, IP): from the 5th attempt, a wait that doubles (2 s,
//!   4 s… at most 5 minutes) before the next one — a guesser from one place;
//! - per IP: the same from the 30th attempt — one place spraying many addresses
//!   (looser: a tribunal's or an association's staff share one public address);
//! - per address, counting only attempts from IPs where that account never
//!   signed in: at the 20th, the address is **blocked for unknown IPs** until the
//!   window ends, and its owner is mailed a link that lets it sign in from the
//!   device that opens it. From an IP where it already signed in, the owner is
//!   never blocked by someone else's attempts — an attacker who knows an
//!   address cannot lock its owner out.
//!
//! An attempt is counted when it is taken, before the password is checked (so
//! that a burst of parallel attempts cannot all pass the check); a successful
//! sign-in gives its attempt back.

/// Attempts older than this are forgotten.
pub const FENETRE_SECONDES: i64 = 30 * 60;
/// The longest wait imposed between two attempts.
pub const ATTENTE_MAX_SECONDES: i64 = 5 * 60;

/// What a counter does once it has seen enough attempts in its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limites {
    /// From the `des`-th attempt, a wait before the next (2 s, doubling).
    Ralentir { des: i64 },
    /// At the `des`-th attempt, no more until the window ends.
    Bloquer { des: i64 },
}

/// One address typed from one IP.
pub const PAR_ADRESSE_ET_IP: Limites = Limites::Ralentir { des: 5 };
/// One IP, whatever the addresses typed.
pub const PAR_IP: Limites = Limites::Ralentir { des: 30 };
/// One address, from IPs where its account never signed in (every IP, for an
/// address without account: the same answers, so that nothing tells them apart).
pub const PAR_ADRESSE_DEPUIS_IP_INCONNUE: Limites = Limites::Bloquer { des: 20 };

/// When the attempt after the `n`-th of a window may be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suivante {
    /// At once.
    Permise,
    /// That many seconds after the `n`-th.
    Apres(i64),
    /// Once the window has ended.
    FinDeFenetre,
}

impl Limites {
    pub fn suivante(self, n: i64) -> Suivante {
        match self {
            Limites::Ralentir { des } if n >= des => {
                let rang = u32::try_from((n + 1 - des).min(20)).unwrap_or(20);
                Suivante::Apres(2_i64.pow(rang).min(ATTENTE_MAX_SECONDES))
            }
            Limites::Bloquer { des } if n >= des => Suivante::FinDeFenetre,
            _ => Suivante::Permise,
        }
    }

    /// The counts from which the wait no longer grows (the SQL that computes it
    /// lists each count below that one).
    pub fn paliers(self) -> std::ops::RangeInclusive<i64> {
        match self {
            Limites::Ralentir { des } => {
                let mut last = des;
                while self.suivante(last) != Suivante::Apres(ATTENTE_MAX_SECONDES) {
                    last += 1;
                }
                des..=last
            }
            Limites::Bloquer { des } => des..=des,
        }
    }

    /// Why an attempt was refused, `reste` seconds before the next may be taken.
    pub fn refus(self, reste: i64) -> Decision {
        match self {
            Limites::Ralentir { .. } => Decision::Attendre { secondes: reste.max(1) },
            Limites::Bloquer { .. } => Decision::Verrouillee { secondes: reste.max(1) },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Permise,
    /// Too soon after the last attempt: retry in that many seconds.
    Attendre {
        secondes: i64,
    },
    /// Too many attempts in the window from unknown places: refused for that
    /// many seconds (the owner can use the link it was mailed).
    Verrouillee {
        secondes: i64,
    },
}

impl Decision {
    /// The French sentence shown to the user. The same whether the address has
    /// an account or not.
    pub fn message(self) -> Option<String> {
        match self {
            Decision::Permise => None,
            Decision::Attendre { secondes } => {
                Some(format!("Trop de tentatives de connexion échouées : patientez {} avant de réessayer.", duree(secondes)))
            }
            Decision::Verrouillee { secondes } => Some(format!(
                "Trop de tentatives de connexion échouées pour cette adresse : la connexion depuis un appareil \
                 inconnu est bloquée pendant {}. Si un compte existe à cette adresse, un courriel lui a été envoyé \
                 avec un lien pour se connecter depuis votre appareil ; depuis un appareil où vous vous êtes déjà \
                 connecté, vous pouvez vous connecter normalement.",
                duree(secondes)
            )),
        }
    }

    pub fn secondes(self) -> i64 {
        match self {
            Decision::Permise => 0,
            Decision::Attendre { secondes } | Decision::Verrouillee { secondes } => secondes,
        }
    }
}

/// "45 secondes", "1 minute", "12 minutes" (rounded up).
pub fn duree(secondes: i64) -> String {
    let secondes = secondes.max(1);
    if secondes < 60 {
        return format!("{secondes} seconde{}", if secondes > 1 { "s" } else { "" });
    }
    let minutes = (secondes + 59) / 60;
    format!("{minutes} minute{}", if minutes > 1 { "s" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_attempts_from_one_place_change_nothing_then_the_wait_doubles_up_to_five_minutes() {
        for n in 1..5 {
            assert_eq!(PAR_ADRESSE_ET_IP.suivante(n), Suivante::Permise);
        }
        assert_eq!(PAR_ADRESSE_ET_IP.suivante(5), Suivante::Apres(2));
        assert_eq!(PAR_ADRESSE_ET_IP.suivante(6), Suivante::Apres(4));
        assert_eq!(PAR_ADRESSE_ET_IP.suivante(9), Suivante::Apres(32));
        assert_eq!(PAR_ADRESSE_ET_IP.suivante(13), Suivante::Apres(ATTENTE_MAX_SECONDES));
        assert_eq!(PAR_ADRESSE_ET_IP.suivante(1_000), Suivante::Apres(ATTENTE_MAX_SECONDES));
        assert_eq!(PAR_ADRESSE_ET_IP.paliers(), 5..=13);
    }

    #[test]
    fn an_ip_is_allowed_more_and_an_address_blocks_at_twenty_unknown_attempts() {
        assert_eq!(PAR_IP.suivante(29), Suivante::Permise);
        assert_eq!(PAR_IP.suivante(30), Suivante::Apres(2));
        assert_eq!(PAR_ADRESSE_DEPUIS_IP_INCONNUE.suivante(19), Suivante::Permise);
        assert_eq!(PAR_ADRESSE_DEPUIS_IP_INCONNUE.suivante(20), Suivante::FinDeFenetre);
        assert_eq!(PAR_ADRESSE_DEPUIS_IP_INCONNUE.paliers(), 20..=20);
    }

    #[test]
    fn refusals_read_in_french() {
        assert_eq!(PAR_IP.refus(30), Decision::Attendre { secondes: 30 });
        assert_eq!(PAR_ADRESSE_DEPUIS_IP_INCONNUE.refus(0), Decision::Verrouillee { secondes: 1 });
        assert_eq!(Decision::Permise.message(), None);
        assert!(Decision::Attendre { secondes: 30 }.message().unwrap_or_default().contains("patientez 30 secondes"));
        let lock = Decision::Verrouillee { secondes: 90 }.message().unwrap_or_default();
        assert!(lock.contains("bloquée pendant 2 minutes") && lock.contains("un courriel"), "{lock}");
        assert_eq!(duree(1), "1 seconde");
        assert_eq!(duree(60), "1 minute");
    }
}
