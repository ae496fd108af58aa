/**
 * Which of the Flickr 8k test photos (../shared/datasets/flickr8k-test-fullres) each journal note in `notes/`
 * describes. Notes not listed here (to-dos, a recipe, minutes, a book review, tax notes) describe none.
 */
export const DESCRIBED: Record<string, readonly string[]> = {
  'dog-park-saturday.md': ['1107246521_d16a476380.jpg', '1119015538_e8e796281e.jpg', '1626754053_81126b67b6.jpg', '1674612291_7154c5ab61.jpg', '1523984678_edd68464da.jpg'],
  'beach-week-day-three.md': ['106490881_5a2dd9b7bd.jpg', '1174525839_7c1e6cfa86.jpg', '1248940539_46d33ed487.jpg', '1456393634_74022d9056.jpg', '1408958345_68eea9a4e4.jpg'],
  'snow-weekend.md': ['1131800850_89c7ffd477.jpg', '113678030_87a6a6e42e.jpg', '1714316707_8bbaa2a2ba.jpg', '1472882567_33dc14c8b6.jpg'],
  'polar-expedition-book.md': ['115684808_cb01227802.jpg', '1584315962_5b0b45d02d.jpg', '1287073593_f3d2a62455.jpg'],
  'lake-house.md': ['1298295313_db1f4c6522.jpg', '136886677_6026c622eb.jpg', '1082379191_ec1e53f996.jpg', '1427391496_ea512cbe7f.jpg'],
  'climbing-trip.md': ['143688283_a96ded20f1.jpg', '189721896_1ffe76d89e.jpg', '197107117_4b438b1872.jpg', '1433142189_cda8652603.jpg'],
  'city-bikes.md': ['2073964624_52da3a0fc4.jpg', '2075321027_c8fcbaf581.jpg', '2083434441_a93bc6306b.jpg', '2084217208_7bd9bc85e5.jpg'],
  'playground-with-nieces.md': ['1467533293_a2656cc000.jpg', '1490670858_e122df2560.jpg', '1561658940_a947f2446a.jpg', '136644343_0e2b423829.jpg', '1682079482_9a72fa57fa.jpg'],
  'soccer-season.md': ['154871781_ae77696b77.jpg', '197504190_fd1fc3d4b7.jpg', '1446053356_a924b4893f.jpg', '114051287_dd85625a04.jpg'],
  'river-walk-with-dogs.md': ['1490213660_9ea45550cf.jpg', '1808370027_2088394eb4.jpg', '1392272228_cf104086e6.jpg', '1554713437_61b64527dd.jpg'],
  'water-sports-holiday.md': ['172097782_f0844ec317.jpg', '1472230829_803818a383.jpg', '1404832008_68e432665b.jpg', '1998457059_c9ac9a1e1a.jpg'],
  'family-birthday.md': ['2089426086_7acc98a3a8.jpg', '1131932671_c8d17751b3.jpg', '1224851143_33bcdd299c.jpg', '1237985362_dbafc59280.jpg'],
};
