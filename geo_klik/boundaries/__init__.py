"""Administrative boundaries: kota, kecamatan and kelurahan, their importer and point lookup."""
