"""The starting service catalogue and city-wide offices of Bukittinggi, as plain data.

Every entry is a *starting point* for the city to confirm: requirements follow the national rules
named in ``legal_basis`` (Perpres 96/2018 for population documents, PP 5/2021 for NIB, PP 16/2021
for PBG...), fees are only stated where a law fixes them (population documents are free by
UU 24/2013 Pasal 79A); where a Perda or the case decides, the fee is left empty and the note says
to confirm at the office. Nothing here is marked as verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geo_klik.public_services.models import Office, Requirement, Service

K = Office.Kind
T = Service.Topic
C = Requirement.Copy

VERIFY_NOTE_ID = (
    "Data awal, belum diverifikasi: persyaratan, biaya dan waktu wajib dikonfirmasi oleh "
    "Pemerintah Kota Bukittinggi. Tanyakan ke kantor sebelum datang."
)
VERIFY_NOTE_EN = (
    "Starting data, not yet verified: requirements, fee and time must be confirmed by the City of "
    "Bukittinggi. Check with the office before you go."
)
POSITION_NOTE_ID = "Posisi perkiraan dari peta wilayah; alamat dan titik pasti perlu dikonfirmasi."
POSITION_NOTE_EN = "Approximate position from the area map; exact address and spot to be confirmed."

ADMINDUK_FREE_ID = "Gratis: dokumen kependudukan tidak dipungut biaya (UU 24/2013 Pasal 79A)."
ADMINDUK_FREE_EN = "Free: population documents carry no fee (UU 24/2013 Article 79A)."
KELURAHAN_FEE_ID = "Umumnya tanpa biaya; konfirmasi di kantor lurah."
KELURAHAN_FEE_EN = "Usually free; confirm at the kantor lurah."
PERDA_FEE_ID = "Sesuai Perda Kota Bukittinggi; konfirmasi besarnya di kantor."
PERDA_FEE_EN = "Set by a Perda of Kota Bukittinggi; confirm the amount at the office."

ADMINDUK_LAW = (
    "UU 23/2006 tentang Administrasi Kependudukan jo. UU 24/2013\n"
    "Perpres 96/2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil\n"
    "Permendagri 109/2019 tentang Formulir dan Buku yang Digunakan dalam Administrasi Kependudukan"
)
KELURAHAN_LAW = (
    "PP 73/2005 tentang Kelurahan\n"
    "PP 17/2018 tentang Kecamatan\n"
    "UU 25/2009 tentang Pelayanan Publik"
)


@dataclass(frozen=True)
class Doc:
    """One requirement row."""

    name_id: str
    name_en: str
    copy_kind: str = C.ORIGINAL
    count: int = 1
    note_id: str = ""
    note_en: str = ""
    condition_id: str = ""
    condition_en: str = ""


@dataclass(frozen=True)
class ServiceSeed:
    slug: str
    topic: str
    order: int
    name_id: str
    name_en: str
    summary_id: str
    summary_en: str
    audience_id: str
    audience_en: str
    apply_at: tuple[str, ...]
    documents: tuple[Doc, ...]
    legal_basis: str
    output_id: str
    output_en: str
    fee_rp: int | None = None
    fee_note_id: str = ""
    fee_note_en: str = ""
    days_min: int | None = None
    days_max: int | None = None
    time_note_id: str = ""
    time_note_en: str = ""
    online_url: str = ""
    online_note_id: str = ""
    online_note_en: str = ""
    steps: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# Documents many services share.
KK = Doc("Kartu Keluarga (KK)", "Family card (Kartu Keluarga, KK)", C.PHOTOCOPY)
KTP = Doc("KTP-el pemohon", "Applicant's electronic ID card (KTP-el)", C.PHOTOCOPY)
RT_RW = Doc(
    "Surat pengantar RT/RW",
    "Cover letter from the RT/RW (neighbourhood heads)",
    C.ORIGINAL,
)
F101 = Doc(
    "Formulir biodata keluarga (F-1.01), diisi",
    "Family biodata form (F-1.01), filled in",
    C.FORM,
    note_id="Tersedia di loket.",
    note_en="Available at the counter.",
)
F201 = Doc(
    "Formulir pelaporan pencatatan sipil (F-2.01), diisi",
    "Civil registration report form (F-2.01), filled in",
    C.FORM,
    note_id="Tersedia di loket.",
    note_en="Available at the counter.",
)

ADMINDUK_STEPS = (
    ("Siapkan dokumen sesuai daftar di atas.", "Prepare the documents on the list above."),
    (
        "Ambil nomor antrean di loket Disdukcapil atau di Mal Pelayanan Publik.",
        "Take a queue number at the Disdukcapil counter or at the Public Service Mall.",
    ),
    (
        "Serahkan dokumen; petugas memeriksa dan memasukkan data.",
        "Hand in the documents; the officer checks them and enters the data.",
    ),
    (
        "Terima dokumen jadi, atau bukti pengambilan bila belum dapat dicetak hari itu.",
        "Receive the document, or a pick-up slip if it cannot be printed the same day.",
    ),
)
KELURAHAN_STEPS = (
    (
        "Minta surat pengantar ke Ketua RT lalu Ketua RW tempat tinggal.",
        "Ask your RT head, then your RW head, for a cover letter.",
    ),
    (
        "Bawa pengantar dan dokumen ke kantor lurah kelurahan Anda.",
        "Bring the cover letter and documents to the kantor lurah of your kelurahan.",
    ),
    (
        "Petugas memeriksa dokumen dan menyiapkan surat; lurah atau sekretaris lurah "
        "menandatangani.",
        "The officer checks the documents and drafts the letter; the lurah or secretary signs it.",
    ),
)

SERVICES: tuple[ServiceSeed, ...] = (
    ServiceSeed(
        slug="ktp-el-baru",
        topic=T.POPULATION,
        order=10,
        name_id="KTP-el baru (perekaman pertama)",
        name_en="New electronic ID card (KTP-el), first recording",
        summary_id="Perekaman data dan foto untuk KTP-el pertama kali.",
        summary_en="Recording of data, photo and fingerprints for a first KTP-el.",
        audience_id="Penduduk yang berumur 17 tahun, sudah kawin atau pernah kawin.",
        audience_en="Residents aged 17, or married or previously married.",
        apply_at=(K.DUKCAPIL, K.MPP),
        documents=(
            KK,
            Doc(
                "Akta kelahiran",
                "Birth certificate",
                C.PHOTOCOPY,
                condition_id="jika diminta petugas untuk mencocokkan data",
                condition_en="if the officer asks to check the data",
            ),
            Doc(
                "Buku nikah / akta perkawinan",
                "Marriage book / marriage certificate",
                C.PHOTOCOPY,
                condition_id="jika belum 17 tahun tetapi sudah kawin",
                condition_en="if under 17 but married",
            ),
        ),
        legal_basis=ADMINDUK_LAW,
        output_id="KTP-el",
        output_en="KTP-el (electronic ID card)",
        fee_rp=0,
        fee_note_id=ADMINDUK_FREE_ID,
        fee_note_en=ADMINDUK_FREE_EN,
        days_min=1,
        days_max=1,
        time_note_id="Perekaman langsung; pencetakan bergantung pada ketersediaan blangko.",
        time_note_en="Recording is immediate; printing depends on blank cards in stock.",
        steps=ADMINDUK_STEPS,
    ),
    ServiceSeed(
        slug="ktp-el-hilang-rusak",
        topic=T.POPULATION,
        order=11,
        name_id="KTP-el hilang atau rusak (cetak ulang)",
        name_en="Lost or damaged KTP-el (reprint)",
        summary_id="Penggantian KTP-el yang hilang, rusak, atau berubah datanya.",
        summary_en="Replacement of a KTP-el that was lost, damaged or whose data changed.",
        audience_id="Pemilik KTP-el yang hilang atau rusak.",
        audience_en="Holders of a lost or damaged KTP-el.",
        apply_at=(K.DUKCAPIL, K.MPP),
        documents=(
            KK,
            Doc(
                "Surat keterangan kehilangan dari kepolisian",
                "Police report of the loss",
                C.ORIGINAL,
                condition_id="jika KTP-el hilang",
                condition_en="if the KTP-el was lost",
            ),
            Doc(
                "KTP-el yang rusak",
                "The damaged KTP-el",
                C.ORIGINAL,
                condition_id="jika KTP-el rusak",
                condition_en="if the KTP-el is damaged",
            ),
        ),
        legal_basis=ADMINDUK_LAW,
        output_id="KTP-el pengganti",
        output_en="Replacement KTP-el",
        fee_rp=0,
        fee_note_id=ADMINDUK_FREE_ID,
        fee_note_en=ADMINDUK_FREE_EN,
        days_min=1,
        days_max=1,
        time_note_id="Bergantung pada ketersediaan blangko.",
        time_note_en="Depends on blank cards in stock.",
        steps=ADMINDUK_STEPS,
    ),
    ServiceSeed(
        slug="kartu-keluarga-baru",
        topic=T.POPULATION,
        order=20,
        name_id="Kartu Keluarga baru",
        name_en="New family card (Kartu Keluarga)",
        summary_id="Kartu Keluarga untuk keluarga baru, misalnya setelah menikah.",
        summary_en="A family card for a new household, e.g. after marriage.",
        audience_id="Pasangan yang baru menikah atau penduduk yang membentuk keluarga baru.",
        audience_en="Newly married couples or residents starting a new household.",
        apply_at=(K.DUKCAPIL, K.MPP),
        documents=(
            Doc(
                "Buku nikah / akta perkawinan", "Marriage book / marriage certificate", C.PHOTOCOPY
            ),
            Doc(
                "Kartu Keluarga lama (orang tua)",
                "The old family card (parents')",
                C.ORIGINAL,
                note_id="Akan diperbarui karena anggota keluar.",
                note_en="It is updated as members leave it.",
            ),
            Doc(
                "Surat keterangan pindah (SKPWNI)",
                "Certificate of moving (SKPWNI)",
                C.ORIGINAL,
                condition_id="jika salah satu datang dari kabupaten/kota lain",
                condition_en="if one of you comes from another regency or city",
            ),
            F101,
        ),
        legal_basis=ADMINDUK_LAW,
        output_id="Kartu Keluarga (KK) baru",
        output_en="New family card (KK)",
        fee_rp=0,
        fee_note_id=ADMINDUK_FREE_ID,
        fee_note_en=ADMINDUK_FREE_EN,
        days_min=1,
        days_max=3,
        steps=ADMINDUK_STEPS,
    ),
    ServiceSeed(
        slug="kartu-keluarga-perubahan",
        topic=T.POPULATION,
        order=21,
        name_id="Perubahan Kartu Keluarga (tambah/kurang anggota, perubahan data)",
        name_en="Changing a family card (member added or removed, data changed)",
        summary_id="Pembaruan KK karena kelahiran, kematian, pindah, atau perubahan data.",
        summary_en="Updating the KK after a birth, death, move or a change of data.",
        audience_id="Kepala keluarga atau anggota keluarga yang datanya berubah.",
        audience_en="Heads of household, or members whose data changed.",
        apply_at=(K.DUKCAPIL, K.MPP),
        documents=(
            Doc("Kartu Keluarga lama", "The current family card", C.ORIGINAL),
            Doc(
                "Dokumen dasar perubahan (akta kelahiran, akta kematian, surat pindah, buku nikah, "
                "ijazah, dll.)",
                "The document behind the change (birth or death certificate, moving certificate, "
                "marriage book, diploma...)",
                C.PHOTOCOPY,
            ),
            F101,
        ),
        legal_basis=ADMINDUK_LAW,
        output_id="Kartu Keluarga (KK) yang diperbarui",
        output_en="Updated family card (KK)",
        fee_rp=0,
        fee_note_id=ADMINDUK_FREE_ID,
        fee_note_en=ADMINDUK_FREE_EN,
        days_min=1,
        days_max=3,
        steps=ADMINDUK_STEPS,
    ),
    ServiceSeed(
        slug="akta-kelahiran",
        topic=T.POPULATION,
        order=30,
        name_id="Akta kelahiran",
        name_en="Birth certificate (akta kelahiran)",
        summary_id="Pencatatan kelahiran dan penerbitan akta kelahiran.",
        summary_en="Registration of a birth and issue of the birth certificate.",
        audience_id="Orang tua atau wali anak yang lahir; sebaiknya dilaporkan dalam 60 hari.",
        audience_en="Parents or guardians of a newborn; report within 60 days where possible.",
        apply_at=(K.DUKCAPIL, K.MPP),
        documents=(
            Doc(
                "Surat keterangan kelahiran dari rumah sakit, puskesmas, dokter atau bidan",
                "Birth statement from the hospital, puskesmas, doctor or midwife",
                C.ORIGINAL,
            ),
            Doc("Kartu Keluarga orang tua", "Parents' family card", C.PHOTOCOPY),
            Doc(
                "Buku nikah / akta perkawinan orang tua",
                "Parents' marriage book / marriage certificate",
                C.PHOTOCOPY,
                condition_id="jika ada",
                condition_en="if there is one",
            ),
            Doc(
                "SPTJM kebenaran data kelahiran",
                "Statement of responsibility for the birth data (SPTJM)",
                C.FORM,
                condition_id="jika tidak ada surat keterangan kelahiran",
                condition_en="if there is no birth statement",
            ),
            Doc(
                "SPTJM kebenaran sebagai pasangan suami istri",
                "Statement of responsibility as a married couple (SPTJM)",
                C.FORM,
                condition_id="jika tidak ada buku nikah tetapi KK menyatakan kawin",
                condition_en="if there is no marriage book but the KK says married",
            ),
            F201,
        ),
        legal_basis=ADMINDUK_LAW,
        output_id="Akta kelahiran dan KK yang diperbarui",
        output_en="Birth certificate and updated family card",
        fee_rp=0,
        fee_note_id=ADMINDUK_FREE_ID,
        fee_note_en=ADMINDUK_FREE_EN,
        days_min=1,
        days_max=3,
        steps=ADMINDUK_STEPS,
    ),
    ServiceSeed(
        slug="akta-kematian",
        topic=T.POPULATION,
        order=31,
        name_id="Akta kematian",
        name_en="Death certificate (akta kematian)",
        summary_id="Pencatatan kematian dan penerbitan akta kematian.",
        summary_en="Registration of a death and issue of the death certificate.",
        audience_id="Keluarga atau ahli waris; dilaporkan dalam 30 hari sejak kematian.",
        audience_en="Family or heirs; report within 30 days of the death.",
        apply_at=(K.DUKCAPIL, K.MPP),
        documents=(
            Doc(
                "Surat keterangan kematian dari rumah sakit/dokter, atau dari lurah",
                "Death statement from the hospital or doctor, or from the lurah",
                C.ORIGINAL,
            ),
            Doc("Kartu Keluarga almarhum/almarhumah", "The deceased's family card", C.ORIGINAL),
            Doc("KTP-el almarhum/almarhumah", "The deceased's KTP-el", C.ORIGINAL),
            Doc("KTP-el pelapor", "The reporting person's KTP-el", C.PHOTOCOPY),
            F201,
        ),
        legal_basis=ADMINDUK_LAW,
        output_id="Akta kematian dan KK yang diperbarui",
        output_en="Death certificate and updated family card",
        fee_rp=0,
        fee_note_id=ADMINDUK_FREE_ID,
        fee_note_en=ADMINDUK_FREE_EN,
        days_min=1,
        days_max=3,
        steps=ADMINDUK_STEPS,
    ),
    ServiceSeed(
        slug="surat-pindah-skpwni",
        topic=T.POPULATION,
        order=40,
        name_id="Surat keterangan pindah (SKPWNI)",
        name_en="Certificate of moving out (SKPWNI)",
        summary_id="Surat pindah untuk penduduk yang pindah ke kabupaten/kota lain.",
        summary_en="The moving certificate for residents moving to another regency or city.",
        audience_id="Penduduk Bukittinggi yang akan pindah domisili.",
        audience_en="Residents of Bukittinggi moving their registered address.",
        apply_at=(K.DUKCAPIL, K.MPP),
        documents=(
            Doc("Kartu Keluarga", "Family card", C.ORIGINAL),
            Doc("KTP-el semua anggota yang pindah", "KTP-el of everyone moving", C.PHOTOCOPY),
            Doc(
                "Formulir pendaftaran perpindahan penduduk (F-1.03), diisi",
                "Moving registration form (F-1.03), filled in",
                C.FORM,
            ),
            Doc(
                "Alamat lengkap tujuan",
                "Full destination address",
                C.FORM,
                note_id="Tulis di formulir.",
                note_en="Written on the form.",
            ),
        ),
        legal_basis=ADMINDUK_LAW,
        output_id="SKPWNI, dan KK baru bagi anggota yang tinggal",
        output_en="SKPWNI, and a new KK for the members who stay",
        fee_rp=0,
        fee_note_id=ADMINDUK_FREE_ID,
        fee_note_en=ADMINDUK_FREE_EN,
        days_min=1,
        days_max=1,
        steps=ADMINDUK_STEPS,
    ),
    ServiceSeed(
        slug="kartu-identitas-anak",
        topic=T.POPULATION,
        order=50,
        name_id="Kartu Identitas Anak (KIA)",
        name_en="Child identity card (KIA)",
        summary_id="Kartu identitas untuk anak di bawah 17 tahun.",
        summary_en="The identity card for children under 17.",
        audience_id="Orang tua anak berumur 0 sampai di bawah 17 tahun.",
        audience_en="Parents of children aged 0 to under 17.",
        apply_at=(K.DUKCAPIL, K.MPP),
        documents=(
            Doc("Akta kelahiran anak", "The child's birth certificate", C.PHOTOCOPY),
            Doc("Kartu Keluarga orang tua", "Parents' family card", C.ORIGINAL),
            Doc(
                "KTP-el kedua orang tua / wali",
                "KTP-el of both parents or the guardian",
                C.ORIGINAL,
            ),
            Doc(
                "Pas foto berwarna anak 2x3",
                "Colour passport photo of the child, 2x3 cm",
                C.ORIGINAL,
                count=2,
                condition_id="jika anak berumur 5 tahun atau lebih",
                condition_en="if the child is 5 or older",
            ),
        ),
        legal_basis=ADMINDUK_LAW + "\nPermendagri 2/2016 tentang Kartu Identitas Anak",
        output_id="Kartu Identitas Anak (KIA)",
        output_en="Child identity card (KIA)",
        fee_rp=0,
        fee_note_id=ADMINDUK_FREE_ID,
        fee_note_en=ADMINDUK_FREE_EN,
        days_min=1,
        days_max=3,
    ),
    ServiceSeed(
        slug="surat-keterangan-domisili",
        topic=T.LETTERS,
        order=10,
        name_id="Surat keterangan domisili",
        name_en="Certificate of residence (surat keterangan domisili)",
        summary_id="Surat dari lurah bahwa Anda bertempat tinggal di kelurahan ini.",
        summary_en="A letter from the lurah that you live in this kelurahan.",
        audience_id="Penduduk yang tinggal di kelurahan, termasuk pendatang yang belum pindah KTP.",
        audience_en="People living in the kelurahan, incl. newcomers whose KTP is elsewhere.",
        apply_at=(K.KANTOR_LURAH,),
        documents=(
            RT_RW,
            KTP,
            KK,
            Doc(
                "Surat pernyataan tempat tinggal atau bukti sewa/kos",
                "Statement of residence, or the rental agreement",
                C.PHOTOCOPY,
                condition_id="jika KTP-el bukan beralamat di kelurahan ini",
                condition_en="if your KTP-el has an address outside this kelurahan",
            ),
        ),
        legal_basis=KELURAHAN_LAW,
        output_id="Surat keterangan domisili",
        output_en="Certificate of residence",
        fee_note_id=KELURAHAN_FEE_ID,
        fee_note_en=KELURAHAN_FEE_EN,
        days_min=1,
        days_max=1,
        time_note_id="Biasanya selesai hari itu jika lurah atau sekretaris ada di tempat.",
        time_note_en="Usually the same day if the lurah or the secretary is in.",
        steps=KELURAHAN_STEPS,
    ),
    ServiceSeed(
        slug="surat-keterangan-tidak-mampu",
        topic=T.LETTERS,
        order=20,
        name_id="Surat keterangan tidak mampu (SKTM)",
        name_en="Certificate of low income (SKTM)",
        summary_id="Surat keterangan keluarga kurang mampu, untuk keringanan sekolah, kesehatan "
        "atau bantuan sosial.",
        summary_en="A certificate that a household has a low income, for school, health or social "
        "assistance relief.",
        audience_id="Keluarga kurang mampu yang tinggal di kelurahan.",
        audience_en="Low-income households living in the kelurahan.",
        apply_at=(K.KANTOR_LURAH,),
        documents=(
            RT_RW,
            KTP,
            KK,
            Doc(
                "Surat pernyataan tidak mampu, ditandatangani di atas meterai",
                "Signed statement of low income, on duty stamp (meterai)",
                C.ORIGINAL,
            ),
            Doc(
                "Keperluan surat (mis. surat dari sekolah atau rumah sakit)",
                "What the letter is for (e.g. a letter from the school or hospital)",
                C.PHOTOCOPY,
                condition_id="jika ada",
                condition_en="if there is one",
            ),
        ),
        legal_basis=KELURAHAN_LAW + "\nUU 13/2011 tentang Penanganan Fakir Miskin",
        output_id="Surat keterangan tidak mampu (SKTM)",
        output_en="Certificate of low income (SKTM)",
        fee_note_id=KELURAHAN_FEE_ID + " Meterai dibeli sendiri.",
        fee_note_en=KELURAHAN_FEE_EN + " You buy the duty stamp yourself.",
        days_min=1,
        days_max=1,
        steps=KELURAHAN_STEPS,
    ),
    ServiceSeed(
        slug="surat-pengantar-nikah",
        topic=T.LETTERS,
        order=30,
        name_id="Surat pengantar nikah (model N1–N4)",
        name_en="Marriage cover letters (forms N1–N4)",
        summary_id="Surat pengantar dari kelurahan untuk mendaftarkan pernikahan di KUA "
        "(Muslim) atau di Disdukcapil (non-Muslim).",
        summary_en="The kelurahan's letters to register a marriage at the KUA (Muslims) or at "
        "Disdukcapil (non-Muslims).",
        audience_id="Calon pengantin yang berdomisili di kelurahan.",
        audience_en="Brides and grooms registered in the kelurahan.",
        apply_at=(K.KANTOR_LURAH,),
        documents=(
            RT_RW,
            KTP,
            KK,
            Doc("Akta kelahiran", "Birth certificate", C.PHOTOCOPY),
            Doc(
                "Pas foto berwarna 2x3 dan 3x4 (latar biru)",
                "Colour passport photos 2x3 and 3x4 cm (blue background)",
                C.ORIGINAL,
                count=4,
                note_id="Jumlah pasti tanyakan ke KUA.",
                note_en="Ask the KUA for the exact number.",
            ),
            Doc(
                "Akta cerai",
                "Divorce certificate",
                C.PHOTOCOPY,
                condition_id="jika duda/janda cerai hidup",
                condition_en="if divorced",
            ),
            Doc(
                "Akta kematian pasangan terdahulu",
                "Death certificate of the former spouse",
                C.PHOTOCOPY,
                condition_id="jika duda/janda cerai mati",
                condition_en="if widowed",
            ),
            Doc(
                "Surat izin orang tua (N4)",
                "Parents' consent (N4)",
                C.FORM,
                condition_id="jika belum berumur 21 tahun",
                condition_en="if under 21",
            ),
        ),
        legal_basis="UU 1/1974 tentang Perkawinan jo. UU 16/2019\n"
        "Peraturan Menteri Agama 20/2019 tentang Pencatatan Pernikahan\n"
        "PP 59/2018 tentang Jenis dan Tarif atas Jenis PNBP pada Kementerian Agama\n"
        + KELURAHAN_LAW.split("\n")[0],
        output_id="Surat pengantar N1–N4 untuk dibawa ke KUA",
        output_en="Cover letters N1–N4 to take to the KUA",
        fee_note_id="Di kelurahan umumnya tanpa biaya. Nikah di KUA pada jam kerja gratis; di luar "
        "KUA atau di luar jam kerja dikenakan PNBP (PP 59/2018); konfirmasi di KUA.",
        fee_note_en="Usually free at the kelurahan. A wedding at the KUA in office hours is free; "
        "elsewhere or outside office hours a state fee applies (PP 59/2018); confirm at the KUA.",
        days_min=1,
        days_max=1,
        time_note_id="Daftarkan ke KUA paling lambat 10 hari kerja sebelum akad.",
        time_note_en="Register at the KUA at least 10 working days before the wedding.",
        steps=(
            *KELURAHAN_STEPS,
            (
                "Bawa surat N1–N4 dan dokumen ke KUA kecamatan tempat akad.",
                "Take the N1–N4 letters and documents to the KUA of the kecamatan of the wedding.",
            ),
        ),
    ),
    ServiceSeed(
        slug="surat-keterangan-usaha",
        topic=T.LETTERS,
        order=40,
        name_id="Surat keterangan usaha (SKU)",
        name_en="Certificate of business (SKU)",
        summary_id="Surat dari lurah bahwa Anda menjalankan usaha di kelurahan, misalnya untuk "
        "kredit usaha. Untuk izin usaha resmi, buat NIB di OSS.",
        summary_en="A letter from the lurah that you run a business in the kelurahan, e.g. for a "
        "business loan. For a formal business licence, get an NIB on OSS.",
        audience_id="Pelaku usaha mikro dan kecil di kelurahan.",
        audience_en="Micro and small businesses in the kelurahan.",
        apply_at=(K.KANTOR_LURAH,),
        documents=(
            RT_RW,
            KTP,
            KK,
            Doc(
                "Foto tempat usaha",
                "Photo of the business premises",
                C.ORIGINAL,
                condition_id="jika diminta kelurahan",
                condition_en="if the kelurahan asks for it",
            ),
        ),
        legal_basis=KELURAHAN_LAW,
        output_id="Surat keterangan usaha (SKU)",
        output_en="Certificate of business (SKU)",
        fee_note_id=KELURAHAN_FEE_ID,
        fee_note_en=KELURAHAN_FEE_EN,
        days_min=1,
        days_max=1,
        steps=KELURAHAN_STEPS,
    ),
    ServiceSeed(
        slug="surat-keterangan-ahli-waris",
        topic=T.LETTERS,
        order=50,
        name_id="Surat keterangan ahli waris",
        name_en="Certificate of heirs (surat keterangan ahli waris)",
        summary_id="Surat pernyataan para ahli waris, disaksikan dan dikuatkan lurah serta camat, "
        "misalnya untuk balik nama tanah atau mencairkan tabungan.",
        summary_en="The heirs' statement, witnessed and endorsed by the lurah and the camat, e.g. "
        "to transfer land or release savings.",
        audience_id="Ahli waris dari penduduk yang meninggal.",
        audience_en="Heirs of a deceased resident.",
        apply_at=(K.KANTOR_LURAH, K.KANTOR_CAMAT),
        documents=(
            RT_RW,
            Doc("Akta kematian pewaris", "Death certificate of the deceased", C.PHOTOCOPY),
            Doc("KTP-el dan KK semua ahli waris", "KTP-el and KK of every heir", C.PHOTOCOPY),
            Doc("Buku nikah pewaris", "Marriage book of the deceased", C.PHOTOCOPY),
            Doc(
                "Akta kelahiran para ahli waris (anak)",
                "Birth certificates of the heirs (children)",
                C.PHOTOCOPY,
            ),
            Doc(
                "Surat pernyataan ahli waris, ditandatangani semua ahli waris dan 2 saksi di atas "
                "meterai",
                "Heirs' statement signed by every heir and 2 witnesses, on duty stamp (meterai)",
                C.ORIGINAL,
            ),
            Doc("KTP-el 2 orang saksi", "KTP-el of the 2 witnesses", C.PHOTOCOPY),
        ),
        legal_basis="Peraturan Menteri Negara Agraria/Kepala BPN 3/1997 Pasal 111 (diubah "
        "Permen ATR/Kepala BPN 16/2021)\n" + KELURAHAN_LAW,
        output_id="Surat keterangan ahli waris yang dikuatkan lurah dan camat",
        output_en="Certificate of heirs endorsed by the lurah and the camat",
        fee_note_id=KELURAHAN_FEE_ID + " Meterai dibeli sendiri.",
        fee_note_en=KELURAHAN_FEE_EN + " You buy the duty stamps yourself.",
        days_min=1,
        days_max=5,
        time_note_id="Dari kelurahan lanjut ke kantor camat untuk dikuatkan.",
        time_note_en="From the kelurahan it goes on to the kantor camat for endorsement.",
        steps=(
            *KELURAHAN_STEPS,
            (
                "Bawa surat yang sudah ditandatangani lurah ke kantor camat untuk dikuatkan.",
                "Take the letter signed by the lurah to the kantor camat for endorsement.",
            ),
        ),
    ),
    ServiceSeed(
        slug="nib-oss",
        topic=T.PERMITS,
        order=10,
        name_id="Nomor Induk Berusaha (NIB) melalui OSS",
        name_en="Business registration number (NIB) through OSS",
        summary_id="NIB adalah identitas dan izin dasar usaha, dibuat di sistem OSS. Petugas "
        "DPMPTSP di Mal Pelayanan Publik membantu bila Anda belum bisa daring.",
        summary_en="The NIB is a business's identity and basic licence, made on the OSS system. "
        "DPMPTSP staff at the Public Service Mall help if you cannot do it online.",
        audience_id="Pelaku usaha perorangan dan badan usaha.",
        audience_en="Individual entrepreneurs and companies.",
        apply_at=(K.MPP,),
        documents=(
            Doc("KTP-el (NIK) pemilik usaha", "Owner's KTP-el (NIK)", C.ORIGINAL),
            Doc(
                "NPWP",
                "Tax number (NPWP)",
                C.PHOTOCOPY,
                condition_id="jika sudah punya (usaha badan wajib)",
                condition_en="if you have one (required for companies)",
            ),
            Doc(
                "Alamat email dan nomor HP aktif",
                "A working email address and mobile number",
                C.FORM,
                note_id="Untuk akun OSS.",
                note_en="For the OSS account.",
            ),
            Doc(
                "Alamat dan luas tempat usaha, modal, jenis kegiatan (KBLI)",
                "Address and size of the premises, capital, activity (KBLI code)",
                C.FORM,
            ),
            Doc(
                "Akta pendirian dan SK pengesahan badan usaha",
                "Deed of establishment and its approval decree",
                C.PHOTOCOPY,
                condition_id="jika berbentuk badan usaha (PT, CV, koperasi)",
                condition_en="if a company (PT, CV, cooperative)",
            ),
        ),
        legal_basis="UU 6/2023 tentang Penetapan Perppu 2/2022 tentang Cipta Kerja\n"
        "PP 5/2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko\n"
        "Perpres 89/2021 tentang Penyelenggaraan Mal Pelayanan Publik",
        output_id="NIB (dan sertifikat standar/izin bila risiko usaha menengah/tinggi)",
        output_en="NIB (and a standard certificate or permit for medium/high-risk businesses)",
        fee_rp=0,
        fee_note_id="Gratis di OSS.",
        fee_note_en="Free on OSS.",
        days_min=1,
        days_max=1,
        time_note_id="Usaha risiko rendah: NIB terbit hari itu setelah data lengkap.",
        time_note_en="Low-risk businesses: the NIB is issued the same day once data is complete.",
        online_url="https://oss.go.id",
        online_note_id="Bisa dibuat sendiri di oss.go.id.",
        online_note_en="You can do it yourself on oss.go.id.",
        steps=(
            ("Buat akun di oss.go.id dengan NIK dan email.", "Create an account on oss.go.id."),
            (
                "Isi data usaha dan pilih KBLI sesuai kegiatan.",
                "Fill in the business data and choose the KBLI code of the activity.",
            ),
            (
                "Terbitkan NIB; minta bantuan di loket DPMPTSP di MPP bila perlu.",
                "Issue the NIB; ask at the DPMPTSP counter at the MPP if needed.",
            ),
        ),
    ),
    ServiceSeed(
        slug="persetujuan-bangunan-gedung",
        topic=T.PERMITS,
        order=20,
        name_id="Persetujuan Bangunan Gedung (PBG)",
        name_en="Building approval (Persetujuan Bangunan Gedung, PBG)",
        summary_id="Persetujuan sebelum membangun, mengubah atau merawat bangunan gedung; "
        "pengganti IMB. Diajukan melalui SIMBG.",
        summary_en="Approval before building, altering or renovating a building; it replaced the "
        "IMB. Applied for through SIMBG.",
        audience_id="Pemilik bangunan atau yang akan membangun.",
        audience_en="Building owners and anyone about to build.",
        apply_at=(K.MPP,),
        documents=(
            KTP,
            Doc(
                "Bukti kepemilikan/hak atas tanah (sertifikat) atau perjanjian pemanfaatan tanah",
                "Proof of land title (certificate) or land-use agreement",
                C.PHOTOCOPY,
            ),
            Doc(
                "Dokumen rencana teknis: gambar arsitektur, struktur dan utilitas",
                "Technical plans: architecture, structure and utilities drawings",
                C.ORIGINAL,
                note_id="Bangunan tidak sederhana wajib disusun tenaga ahli bersertifikat.",
                note_en="For non-simple buildings, by a certified professional.",
            ),
            Doc(
                "Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR)",
                "Spatial-use conformity (KKPR)",
                C.PHOTOCOPY,
                condition_id="jika bangunan untuk usaha",
                condition_en="if the building is for a business",
            ),
        ),
        legal_basis="UU 28/2002 tentang Bangunan Gedung (diubah UU 6/2023)\n"
        "PP 16/2021 tentang Peraturan Pelaksanaan UU 28/2002 tentang Bangunan Gedung\n"
        "UU 1/2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah "
        "(retribusi PBG)",
        output_id="Persetujuan Bangunan Gedung (PBG)",
        output_en="Building approval (PBG)",
        fee_note_id="Retribusi PBG " + PERDA_FEE_ID[0].lower() + PERDA_FEE_ID[1:],
        fee_note_en="PBG levy " + PERDA_FEE_EN[0].lower() + PERDA_FEE_EN[1:],
        time_note_id="Bergantung pada kelengkapan dan pemeriksaan teknis; lihat status di SIMBG.",
        time_note_en="Depends on complete documents and the technical review; see SIMBG status.",
        online_url="https://simbg.pu.go.id",
        online_note_id="Pengajuan melalui SIMBG (simbg.pu.go.id).",
        online_note_en="Applied for on SIMBG (simbg.pu.go.id).",
    ),
    ServiceSeed(
        slug="izin-reklame",
        topic=T.PERMITS,
        order=30,
        name_id="Izin / pendaftaran reklame",
        name_en="Advertisement (billboard, sign) permit",
        summary_id="Pemasangan papan nama, spanduk, baliho atau reklame lain yang dikenai pajak "
        "reklame.",
        summary_en="Putting up a signboard, banner, billboard or other advertisement subject to "
        "the advertisement tax.",
        audience_id="Pelaku usaha dan penyelenggara kegiatan.",
        audience_en="Businesses and event organisers.",
        apply_at=(K.MPP,),
        documents=(
            KTP,
            Doc(
                "NIB atau NPWP",
                "NIB or tax number (NPWP)",
                C.PHOTOCOPY,
                condition_id="jika reklame usaha",
                condition_en="for a business advertisement",
            ),
            Doc(
                "Desain reklame dengan ukuran dan bahan",
                "Design of the advertisement with its size and material",
                C.ORIGINAL,
            ),
            Doc(
                "Foto dan denah lokasi pemasangan",
                "Photo and sketch map of the location",
                C.ORIGINAL,
            ),
            Doc(
                "Izin pemilik lahan/bangunan",
                "Consent of the owner of the land or building",
                C.ORIGINAL,
                condition_id="jika dipasang di milik orang lain",
                condition_en="if placed on someone else's property",
            ),
        ),
        legal_basis="UU 1/2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan "
        "Daerah (pajak reklame)\nPerda Kota Bukittinggi tentang Pajak Daerah dan Retribusi Daerah "
        "(nomor perlu dikonfirmasi)",
        output_id="Izin/ketetapan pajak reklame",
        output_en="Advertisement permit / tax assessment",
        fee_note_id="Pajak reklame " + PERDA_FEE_ID[0].lower() + PERDA_FEE_ID[1:],
        fee_note_en="Advertisement tax " + PERDA_FEE_EN[0].lower() + PERDA_FEE_EN[1:],
        time_note_id="Konfirmasi di loket DPMPTSP.",
        time_note_en="Confirm at the DPMPTSP counter.",
    ),
    ServiceSeed(
        slug="imunisasi-anak",
        topic=T.HEALTH,
        order=10,
        name_id="Imunisasi dasar anak",
        name_en="Basic childhood immunisation",
        summary_id="Imunisasi rutin bayi dan anak sesuai jadwal di buku KIA, di puskesmas atau "
        "posyandu.",
        summary_en="Routine immunisation of babies and children on the schedule in the KIA book, "
        "at the puskesmas or posyandu.",
        audience_id="Bayi dan anak, dibawa orang tua atau pengasuh.",
        audience_en="Babies and children, brought by a parent or carer.",
        apply_at=(K.PUSKESMAS,),
        documents=(
            Doc(
                "Buku Kesehatan Ibu dan Anak (buku KIA / buku pink)",
                "Mother and child health book (KIA book)",
                C.ORIGINAL,
            ),
            Doc(
                "Kartu Keluarga",
                "Family card",
                C.PHOTOCOPY,
                condition_id="kunjungan pertama",
                condition_en="first visit",
            ),
            Doc(
                "Kartu JKN/BPJS Kesehatan anak",
                "The child's JKN/BPJS health insurance card",
                C.ORIGINAL,
                condition_id="jika ada",
                condition_en="if the child has one",
            ),
        ),
        legal_basis="UU 17/2023 tentang Kesehatan\n"
        "Permenkes 12/2017 tentang Penyelenggaraan Imunisasi\n"
        "Permenkes 43/2019 tentang Pusat Kesehatan Masyarakat",
        output_id="Imunisasi tercatat di buku KIA",
        output_en="Immunisation recorded in the KIA book",
        fee_rp=0,
        fee_note_id="Imunisasi program pemerintah gratis.",
        fee_note_en="Government programme immunisation is free.",
        time_note_id="Hari itu juga; jadwal hari imunisasi tanyakan ke puskesmas.",
        time_note_en="Same day; ask the puskesmas which days it immunises.",
    ),
    ServiceSeed(
        slug="surat-keterangan-sehat",
        topic=T.HEALTH,
        order=20,
        name_id="Surat keterangan sehat",
        name_en="Health certificate (surat keterangan sehat)",
        summary_id="Pemeriksaan umum dan surat keterangan sehat, misalnya untuk melamar kerja "
        "atau sekolah.",
        summary_en="A general check-up and health certificate, e.g. for a job or school "
        "application.",
        audience_id="Siapa saja yang membutuhkan surat keterangan sehat.",
        audience_en="Anyone who needs a health certificate.",
        apply_at=(K.PUSKESMAS,),
        documents=(
            KTP,
            Doc(
                "Pas foto",
                "Passport photo",
                C.ORIGINAL,
                count=2,
                condition_id="jika diminta instansi tujuan",
                condition_en="if the receiving institution asks for it",
            ),
        ),
        legal_basis="UU 17/2023 tentang Kesehatan\n"
        "Permenkes 43/2019 tentang Pusat Kesehatan Masyarakat\n"
        "Perda Kota Bukittinggi tentang Pajak Daerah dan Retribusi Daerah (retribusi pelayanan "
        "kesehatan; nomor perlu dikonfirmasi)",
        output_id="Surat keterangan sehat",
        output_en="Health certificate",
        fee_note_id="Retribusi " + PERDA_FEE_ID[0].lower() + PERDA_FEE_ID[1:],
        fee_note_en="Levy " + PERDA_FEE_EN[0].lower() + PERDA_FEE_EN[1:],
        days_min=1,
        days_max=1,
    ),
)


@dataclass(frozen=True)
class OfficeSeed:
    """A city-wide office at an approximate position (lat, lon)."""

    slug: str
    kind: str
    name: str
    lat: float
    lon: float
    notes_id: str
    notes_en: str


CITY_WIDE_OFFICES: tuple[OfficeSeed, ...] = (
    OfficeSeed(
        "mal-pelayanan-publik-bukittinggi",
        K.MPP,
        "Mal Pelayanan Publik Kota Bukittinggi",
        -0.3052,
        100.3697,
        "Satu tempat untuk layanan banyak instansi (perizinan DPMPTSP, kependudukan, pajak, "
        "dll.). " + POSITION_NOTE_ID,
        "One place for many agencies' services (DPMPTSP licensing, population documents, "
        "taxes...). " + POSITION_NOTE_EN,
    ),
    OfficeSeed(
        "dpmptsp-bukittinggi",
        K.MPP,
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP) Kota Bukittinggi",
        -0.3046,
        100.3704,
        "Perizinan dan nonperizinan; loket utamanya di Mal Pelayanan Publik. " + POSITION_NOTE_ID,
        "Licences and permits; its main counters are in the Public Service Mall. "
        + POSITION_NOTE_EN,
    ),
    OfficeSeed(
        "disdukcapil-bukittinggi",
        K.DUKCAPIL,
        "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil) Kota Bukittinggi",
        -0.2872,
        100.3700,
        "KTP-el, KK, KIA, akta, surat pindah. " + POSITION_NOTE_ID,
        "KTP-el, KK, KIA, certificates, moving. " + POSITION_NOTE_EN,
    ),
)

# (slug, name, kelurahan it stands in (name as loaded), kelurahan of its working area if known).
# Tigo Baleh's working area is the eight kelurahan of Aur Birugo Tigo Baleh (Pemko Bukittinggi,
# July 2024); for the others only their own kelurahan is recorded, the rest fall back to the
# nearest puskesmas until the Dinas Kesehatan confirms the wilayah kerja.
PUSKESMAS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("puskesmas-guguk-panjang", "Puskesmas Guguk Panjang", "Pakan Kurai", ()),
    ("puskesmas-rasimah-ahmad", "Puskesmas Rasimah Ahmad", "Bukit Cangang Kayu Ramang", ()),
    ("puskesmas-mandiangin", "Puskesmas Mandiangin", "Campago Ipuh", ()),
    ("puskesmas-plus-mandiangin", "Puskesmas Plus Mandiangin", "Puhun Tembok", ()),
    ("puskesmas-gulai-bancah", "Puskesmas Gulai Bancah", "Kubu Gulai Bancah", ()),
    ("puskesmas-nilam-sari", "Puskesmas Nilam Sari", "Pulai Anak Air", ()),
    (
        "puskesmas-tigo-baleh",
        "Puskesmas Tigo Baleh",
        "Aur Kuning",
        (
            "Belakang Balok",
            "Sapiran",
            "Birugo",
            "Aur Kuning",
            "Pakan Labuah",
            "Kubu Tanjung",
            "Ladang Cakiah",
            "Parit Antang",
        ),
    ),
)
PUSKESMAS_NOTE_ID = (
    "Nama, posisi dan wilayah kerja puskesmas perlu dikonfirmasi oleh Dinas Kesehatan Kota "
    "Bukittinggi. " + POSITION_NOTE_ID
)
PUSKESMAS_NOTE_EN = (
    "The puskesmas's name, position and working area must be confirmed by the city health "
    "office (Dinas Kesehatan). " + POSITION_NOTE_EN
)
