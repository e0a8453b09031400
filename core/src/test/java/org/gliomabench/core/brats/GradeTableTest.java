package org.gliomabench.core.brats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GradeTableTest {

  @Test
  void readsBrats2020NameMapping() {
    String csv = "Grade,BraTS_2017_subject_ID,BraTS_2018_subject_ID,TCGA_TCIA_subject_ID,BraTS_2019_subject_ID,BraTS_2020_subject_ID\n"
        + "HGG,Brats17_CBICA_AAB_1,Brats18_CBICA_AAB_1,NA,BraTS19_CBICA_AAB_1,BraTS20_Training_001\n"
        + "LGG,Brats17_TCIA_630_1,Brats18_TCIA10_630_1,TCGA-HT-7690,BraTS19_TCIA10_630_1,BraTS20_Training_336\n";
    GradeTable g = GradeTable.parse(csv, "name_mapping.csv");
    assertEquals("HGG", g.grade("BraTS20_Training_001"));
    assertEquals("LGG", g.grade("BraTS20_Training_336"));
    assertNull(g.grade("Brats17_CBICA_AAB_1"), "only the 2020 id column is the key");
    assertEquals(2, g.size());
  }

  @Test
  void readsAUserLabelsCsvWithQuotesAndReportsConflicts() {
    GradeTable g = GradeTable.parse("patient_id,grade\r\n\"p,1\",LGG\np2,HGG\np2,LGG\n", "labels.csv");
    assertEquals("LGG", g.grade("p,1"));
    assertEquals("HGG", g.grade("p2"));
    assertEquals(1, g.problems().size());
  }

  @Test
  void rejectsATableWithoutGrades() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradeTable.parse("id,x\na,b\n", "l.csv"));
    assertEquals(true, e.getMessage().contains("l.csv"));
  }
}
