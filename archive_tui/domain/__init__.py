"""Rules of the field (domain brief §2): 文号, 索引号, dates and the controlled vocabularies."""
