//! The statistics as files, written from the very tables the page shows:
//! CSV (one table as it is, or every table one value a line) and XLSX (a
//! sheet per table, after a sheet saying what the figures cover).

use super::{StatistiquesTerritoire, TableauStat};
use crate::errors::AppError;
use rust_xlsxwriter::{Format, Workbook};

/// A cell as the files write it: the number, "moins de 5" when small counts
/// are hidden, else empty (nothing to compute, as "—" on the page).
fn cellule(valeur: Option<i64>, masques: bool) -> String {
    match valeur {
        Some(n) => n.to_string(),
        None if masques => crate::rules::statistiques::en_clair(None),
        None => String::new(),
    }
}

fn ecrivain() -> csv::Writer<Vec<u8>> {
    // Semicolons and a byte-order mark: what a French spreadsheet opens as is.
    let mut out = Vec::from("\u{feff}".as_bytes());
    out.reserve(4096);
    csv::WriterBuilder::new().delimiter(b';').from_writer(out)
}

fn fini(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    writer.into_inner().map_err(|e| AppError::interne(format!("export CSV : {e}")))
}

fn erreur_csv(e: csv::Error) -> AppError {
    AppError::interne(format!("export CSV : {e}"))
}

/// One table as CSV: its column headings, then its rows.
pub fn csv_tableau(stats: &StatistiquesTerritoire, tableau: &TableauStat) -> Result<Vec<u8>, AppError> {
    let mut writer = ecrivain();
    writer.write_record(&tableau.colonnes).map_err(erreur_csv)?;
    for ligne in &tableau.lignes {
        let mut record = vec![ligne.libelle.clone()];
        record.extend(ligne.valeurs.iter().map(|v| cellule(*v, stats.petits_nombres_masques)));
        writer.write_record(&record).map_err(erreur_csv)?;
    }
    fini(writer)
}

/// Every table as CSV, one value a line: territoire, période, tableau,
/// ligne, colonne, valeur.
pub fn csv_tout(stats: &StatistiquesTerritoire) -> Result<Vec<u8>, AppError> {
    let mut writer = ecrivain();
    writer.write_record(["territoire", "debut", "fin", "tableau", "ligne", "colonne", "valeur"]).map_err(erreur_csv)?;
    for tableau in &stats.tableaux {
        for ligne in &tableau.lignes {
            for (colonne, valeur) in tableau.colonnes.iter().skip(1).zip(&ligne.valeurs) {
                let valeur = cellule(*valeur, stats.petits_nombres_masques);
                writer
                    .write_record([&stats.territoire, &stats.debut, &stats.fin, &tableau.code, &ligne.libelle, colonne, &valeur])
                    .map_err(erreur_csv)?;
            }
        }
    }
    fini(writer)
}

/// A sheet's name: at most 31 characters, none of `[]:*?/\`, unique.
fn nom_de_feuille(titre: &str, pris: &mut Vec<String>) -> String {
    let propre: String = titre.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
    let mut nom = propre.trim().to_string();
    let mut n = 2;
    while pris.contains(&nom) {
        nom = format!("{} {n}", propre.trim());
        n += 1;
    }
    pris.push(nom.clone());
    nom
}

/// The tables as an XLSX workbook (`tableau`: only that one).
pub fn xlsx(stats: &StatistiquesTerritoire, tableaux: &[&TableauStat]) -> Result<Vec<u8>, AppError> {
    let erreur = |e: rust_xlsxwriter::XlsxError| AppError::interne(format!("export XLSX : {e}"));
    let mut workbook = Workbook::new();
    let gras = Format::new().set_bold();
    let mut pris = Vec::new();
    let presentation = workbook.add_worksheet();
    presentation.set_name(nom_de_feuille("Présentation", &mut pris)).map_err(erreur)?;
    let lignes = [
        ("Statistiques e-MJPM", String::new()),
        ("Territoire", stats.territoire.clone()),
        ("Du", crate::rules::heure::jour_en_clair(&stats.debut)),
        ("Au", crate::rules::heure::jour_en_clair(&stats.fin)),
        (
            "Petits nombres",
            if stats.petits_nombres_masques {
                "Filtré sur un tribunal : les nombres de moins de 5 sont écrits « moins de 5 ».".to_string()
            } else {
                "Tous les nombres sont donnés.".to_string()
            },
        ),
    ];
    for (i, (cle, valeur)) in lignes.iter().enumerate() {
        presentation.write_string_with_format(i as u32, 0, *cle, &gras).map_err(erreur)?;
        presentation.write_string(i as u32, 1, valeur).map_err(erreur)?;
    }
    presentation.set_column_width(0, 18).map_err(erreur)?;
    presentation.set_column_width(1, 70).map_err(erreur)?;
    for tableau in tableaux {
        let feuille = workbook.add_worksheet();
        feuille.set_name(nom_de_feuille(&tableau.titre, &mut pris)).map_err(erreur)?;
        for (c, colonne) in tableau.colonnes.iter().enumerate() {
            feuille.write_string_with_format(0, c as u16, colonne, &gras).map_err(erreur)?;
        }
        for (r, ligne) in tableau.lignes.iter().enumerate() {
            let r = r as u32 + 1;
            feuille.write_string(r, 0, &ligne.libelle).map_err(erreur)?;
            for (c, valeur) in ligne.valeurs.iter().enumerate() {
                let c = c as u16 + 1;
                match valeur {
                    Some(n) => feuille.write_number(r, c, *n as f64).map(|_| ()),
                    None => feuille.write_string(r, c, cellule(None, stats.petits_nombres_masques)).map(|_| ()),
                }
                .map_err(erreur)?;
            }
        }
        feuille.set_column_width(0, 45).map_err(erreur)?;
        feuille.set_freeze_panes(1, 0).map_err(erreur)?;
    }
    workbook.save_to_buffer().map_err(erreur)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sheet_names_fit_excel_and_stay_unique() {
        let mut pris = Vec::new();
        assert_eq!(super::nom_de_feuille("Fins de mesure : par mois / cause [x]", &mut pris), "Fins de mesure  par mois  ca");
        assert_eq!(super::nom_de_feuille("Présentation", &mut pris), "Présentation");
        assert_eq!(super::nom_de_feuille("Présentation", &mut pris), "Présentation 2");
        assert!(pris.iter().all(|n| n.chars().count() <= 31));
    }
}
