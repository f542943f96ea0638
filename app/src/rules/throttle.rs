//! How failed sign-ins slow down, then lock, further attempts — for one address
//! and for one IP. Pure arithmetic on the ages of recent failures; the database
//! side is `accounts::throttle`.

/// Failures older than this are forgotten.
pub const FENETRE_SECONDES: i64 = 30 * 60;
/// The longest wait imposed between two attempts before the lock.
pub const ATTENTE_MAX_SECONDES: i64 = 5 * 60;

/// From how many recent failures attempts are slowed down, then refused.
#[derive(Clone, Copy, Debug)]
pub struct Limites {
    pub ralentir_des: usize,
    pub verrouiller_des: usize,
}

/// One address (known account or not: the same rule, so that nothing tells them
/// apart). A successful sign-in forgets the account's earlier failures.
pub const PAR_ADRESSE: Limites = Limites { ralentir_des: 5, verrouiller_des: 20 };
/// One IP: looser, because the staff of a tribunal or an association often share
/// one public address.
pub const PAR_IP: Limites = Limites { ralentir_des: 30, verrouiller_des: 200 };

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Permise,
    /// Too soon after the last failure: retry in that many seconds.
    Attendre { secondes: i64 },
    /// Too many failures in the window: refused for that many seconds.
    Verrouillee { secondes: i64 },
}

impl Decision {
    /// The stricter of two decisions (a lock over a wait, the longer wait).
    pub fn la_plus_stricte(self, other: Decision) -> Decision {
        use Decision::*;
        match (self, other) {
            (Verrouillee { secondes: a }, Verrouillee { secondes: b }) => Verrouillee { secondes: a.max(b) },
            (v @ Verrouillee { .. }, _) | (_, v @ Verrouillee { .. }) => v,
            (Attendre { secondes: a }, Attendre { secondes: b }) => Attendre { secondes: a.max(b) },
            (a @ Attendre { .. }, _) | (_, a @ Attendre { .. }) => a,
            (Permise, Permise) => Permise,
        }
    }

    /// The French sentence shown to the user.
    pub fn message(self) -> Option<String> {
        match self {
            Decision::Permise => None,
            Decision::Attendre { secondes } => Some(format!(
                "Trop de tentatives de connexion échouées : patientez {} avant de réessayer.",
                duree(secondes)
            )),
            Decision::Verrouillee { secondes } => Some(format!(
                "Trop de tentatives de connexion échouées : la connexion est bloquée pendant {}. \
                 Si vous avez oublié votre mot de passe, contactez l'équipe e-MJPM.",
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

/// The wait imposed after `echecs` failures (from the `ralentir_des`-th): 2 s,
/// then doubling, at most [`ATTENTE_MAX_SECONDES`].
fn attente(limites: &Limites, echecs: usize) -> i64 {
    let rang = (echecs + 1 - limites.ralentir_des).min(20) as u32;
    2_i64.pow(rang).min(ATTENTE_MAX_SECONDES)
}

/// Whether a new attempt may be checked, given the ages in seconds of the
/// failures within the window, most recent first.
pub fn decide(limites: &Limites, ages: &[i64]) -> Decision {
    let recents: Vec<i64> = ages.iter().copied().filter(|a| *a < FENETRE_SECONDES).collect();
    let n = recents.len();
    if n >= limites.verrouiller_des {
        // Locked until the failure that reached the limit leaves the window.
        let age = recents[limites.verrouiller_des - 1];
        return Decision::Verrouillee { secondes: FENETRE_SECONDES - age };
    }
    if n >= limites.ralentir_des {
        let reste = attente(limites, n) - recents[0];
        if reste > 0 {
            return Decision::Attendre { secondes: reste };
        }
    }
    Decision::Permise
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_failures_change_nothing() {
        assert_eq!(decide(&PAR_ADRESSE, &[]), Decision::Permise);
        assert_eq!(decide(&PAR_ADRESSE, &[0, 1, 2, 3]), Decision::Permise);
    }

    #[test]
    fn from_the_fifth_failure_the_wait_doubles_up_to_five_minutes() {
        assert_eq!(decide(&PAR_ADRESSE, &[0; 5]), Decision::Attendre { secondes: 2 });
        assert_eq!(decide(&PAR_ADRESSE, &[0; 6]), Decision::Attendre { secondes: 4 });
        assert_eq!(decide(&PAR_ADRESSE, &[0; 9]), Decision::Attendre { secondes: 32 });
        assert_eq!(decide(&PAR_ADRESSE, &[0; 19]), Decision::Attendre { secondes: ATTENTE_MAX_SECONDES });
        // The wait runs from the last failure.
        assert_eq!(decide(&PAR_ADRESSE, &[3, 10, 10, 10, 10, 10]), Decision::Attendre { secondes: 1 });
        assert_eq!(decide(&PAR_ADRESSE, &[4, 10, 10, 10, 10, 10]), Decision::Permise);
    }

    #[test]
    fn twenty_failures_lock_until_the_twentieth_leaves_the_window() {
        let mut ages = vec![60; 19];
        ages.push(600);
        assert_eq!(decide(&PAR_ADRESSE, &ages), Decision::Verrouillee { secondes: FENETRE_SECONDES - 600 });
        // Failures older than the window do not count.
        let old = vec![FENETRE_SECONDES; 25];
        assert_eq!(decide(&PAR_ADRESSE, &old), Decision::Permise);
    }

    #[test]
    fn an_ip_is_allowed_more_failures() {
        assert_eq!(decide(&PAR_IP, &[0; 29]), Decision::Permise);
        assert_eq!(decide(&PAR_IP, &[0; 30]), Decision::Attendre { secondes: 2 });
    }

    #[test]
    fn the_stricter_decision_wins_and_reads_in_french() {
        let wait = Decision::Attendre { secondes: 30 };
        let lock = Decision::Verrouillee { secondes: 90 };
        assert_eq!(wait.la_plus_stricte(lock), lock);
        assert_eq!(Decision::Permise.la_plus_stricte(wait), wait);
        assert_eq!(wait.la_plus_stricte(Decision::Attendre { secondes: 40 }), Decision::Attendre { secondes: 40 });
        assert_eq!(Decision::Permise.message(), None);
        assert!(wait.message().unwrap_or_default().contains("patientez 30 secondes"));
        assert!(lock.message().unwrap_or_default().contains("pendant 2 minutes"));
        assert_eq!(duree(1), "1 seconde");
        assert_eq!(duree(60), "1 minute");
    }
}
