"""Name parts for the second round's slices: Arabic, Russian, Ukrainian, translated names.

Every entry pairs a part as written in its own script with the Latin spellings English-
and French-language lists use for it. The Latin spellings are written out by hand (the
usual forms in press and sanctions-list usage, and BGN/PCGN for Russian and Ukrainian),
not produced by the matcher's own transliteration, so the slices do not grade the
matcher against itself. The parts are common name elements; every combination is
fictional.
"""

from __future__ import annotations

# (Arabic script, Latin spellings)
ARABIC_MALE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("محمد", ("Mohamed", "Muhammad", "Mohammad", "Mohammed")),
    ("أحمد", ("Ahmed", "Ahmad")),
    ("علي", ("Ali",)),
    ("حسن", ("Hassan", "Hasan")),
    ("حسين", ("Hussein", "Hussain", "Husayn")),
    ("عمر", ("Omar", "Umar")),
    ("خالد", ("Khalid", "Khaled")),
    ("يوسف", ("Yusuf", "Youssef", "Yousef")),
    ("إبراهيم", ("Ibrahim",)),
    ("مصطفى", ("Mustafa", "Mostafa")),
    ("سعيد", ("Said", "Saeed")),
    ("سهيل", ("Suhayl", "Suheil", "Suhail")),
    ("محمود", ("Mahmoud", "Mahmud")),
    ("عبد الله", ("Abdullah", "Abdallah", "Abd Allah")),
    ("عبد الرحمن", ("Abdulrahman", "Abd al-Rahman", "Abdelrahman", "Abdul Rahman")),
    ("عبد الحكيم", ("Abdul Hakim", "Abdulhakim", "Abd al-Hakim", "Abdelhakim")),
    ("عبد الكريم", ("Abdul Karim", "Abdelkarim", "Abd al-Karim")),
    ("أبو بكر", ("Abu Bakr", "Abubakr", "Abou Bakr")),
    ("كريم", ("Karim", "Kareem")),
    ("طارق", ("Tariq", "Tarek", "Tarik")),
    ("ياسر", ("Yasser", "Yasir")),
    ("وليد", ("Walid", "Waleed")),
    ("فيصل", ("Faisal", "Faysal")),
    ("جمال", ("Jamal", "Gamal")),
    ("نبيل", ("Nabil", "Nabeel")),
    ("سامي", ("Sami", "Samy")),
    ("رشيد", ("Rashid", "Rachid")),
    ("منصور", ("Mansour", "Mansur")),
    ("ناصر", ("Nasser", "Nasir")),
    ("حمزة", ("Hamza", "Hamzah")),
    ("بلال", ("Bilal",)),
    ("زياد", ("Ziad", "Ziyad")),
    ("عادل", ("Adel", "Adil")),
    ("ماجد", ("Majed", "Majid")),
    ("هشام", ("Hisham", "Hicham")),
)
ARABIC_FEMALE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("فاطمة", ("Fatima", "Fatimah", "Fatma")),
    ("عائشة", ("Aisha", "Aicha", "Aysha")),
    ("مريم", ("Maryam", "Mariam")),
    ("زينب", ("Zainab", "Zeinab", "Zaynab")),
    ("خديجة", ("Khadija", "Khadidja")),
    ("نور", ("Nour", "Noor", "Nur")),
    ("ليلى", ("Layla", "Leila", "Laila")),
    ("سارة", ("Sara", "Sarah")),
    ("أمينة", ("Amina", "Aminah")),
    ("هدى", ("Huda", "Hoda")),
    ("رانيا", ("Rania", "Ranya")),
    ("سلمى", ("Salma", "Selma")),
    ("سميرة", ("Samira", "Sameera")),
    ("حنان", ("Hanan",)),
    ("ياسمين", ("Yasmin", "Yasmine", "Jasmin")),
)
ARABIC_FAMILY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("الحسن", ("al-Hassan", "Al Hasan", "Alhassan")),
    ("البغدادي", ("al-Baghdadi", "Baghdadi", "El Baghdadi")),
    ("المصري", ("al-Masri", "Masri", "El-Masry")),
    ("حداد", ("Haddad",)),
    ("خوري", ("Khoury", "Khouri")),
    ("نصر", ("Nasr",)),
    ("صالح", ("Saleh", "Salih")),
    ("عثمان", ("Othman", "Osman", "Uthman")),
    ("الشامي", ("al-Shami", "Shami", "Chami")),
    ("قاسم", ("Qasim", "Kassem", "Kasim")),
    ("حمدان", ("Hamdan",)),
    ("سليمان", ("Suleiman", "Sulaiman", "Soliman")),
    ("يونس", ("Younes", "Yunus", "Younis")),
    ("الزهراني", ("al-Zahrani", "Zahrani")),
    ("التميمي", ("al-Tamimi", "Tamimi", "Al Tamimi")),
    ("جابر", ("Jaber", "Jabir")),
    ("عبيد", ("Obeid", "Ubayd", "Obaid")),
    ("الخطيب", ("al-Khatib", "Khatib", "El Khatib")),
    ("النجار", ("al-Najjar", "Najjar", "Naggar")),
    ("درويش", ("Darwish", "Darwich")),
    ("عيسى", ("Issa", "Isa")),
    ("موسى", ("Moussa", "Musa", "Mousa")),
    ("العمري", ("al-Omari", "Omari", "Al Amri")),
    ("الراشد", ("al-Rashid", "Rashed", "Al Rasheed")),
    ("حمادي", ("Hammadi", "Hamadi")),
    ("بن علي", ("Ben Ali", "Bin Ali")),
    ("رحماني", ("Rahmani",)),
    ("كريمي", ("Karimi",)),
    ("حسيني", ("Hosseini", "Husseini")),
    ("موسوي", ("Mousavi", "Musavi")),
    ("رضائي", ("Rezaei", "Rezai")),
)

# (Cyrillic, BGN/PCGN Latin as English-language lists write it, apostrophes dropped)
RUSSIAN_MALE = (
    ("Александр", "Aleksandr"), ("Алексей", "Aleksey"), ("Андрей", "Andrey"),
    ("Дмитрий", "Dmitriy"), ("Сергей", "Sergey"), ("Михаил", "Mikhail"), ("Юрий", "Yuriy"),
    ("Николай", "Nikolay"), ("Владимир", "Vladimir"), ("Евгений", "Yevgeniy"),
    ("Игорь", "Igor"), ("Максим", "Maksim"), ("Виктор", "Viktor"), ("Олег", "Oleg"),
    ("Вячеслав", "Vyacheslav"), ("Григорий", "Grigoriy"), ("Пётр", "Petr"),
    ("Илья", "Ilya"), ("Кирилл", "Kirill"), ("Василий", "Vasiliy"), ("Борис", "Boris"),
    ("Георгий", "Georgiy"), ("Анатолий", "Anatoliy"), ("Валерий", "Valeriy"),
)  # fmt: skip
RUSSIAN_FEMALE = (
    ("Анна", "Anna"), ("Елена", "Yelena"), ("Ольга", "Olga"), ("Наталья", "Natalya"),
    ("Татьяна", "Tatyana"), ("Юлия", "Yuliya"), ("Мария", "Mariya"), ("Ирина", "Irina"),
    ("Екатерина", "Yekaterina"), ("Светлана", "Svetlana"), ("Ксения", "Kseniya"),
    ("Людмила", "Lyudmila"), ("Дарья", "Darya"), ("Валентина", "Valentina"),
)  # fmt: skip
RUSSIAN_FAMILY = (
    ("Иванов", "Ivanov"), ("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"),
    ("Попов", "Popov"), ("Соколов", "Sokolov"), ("Лебедев", "Lebedev"),
    ("Козлов", "Kozlov"), ("Новиков", "Novikov"), ("Морозов", "Morozov"),
    ("Волков", "Volkov"), ("Соловьёв", "Solovyev"), ("Васильев", "Vasilyev"),
    ("Зайцев", "Zaytsev"), ("Павлов", "Pavlov"), ("Семёнов", "Semenov"),
    ("Голубев", "Golubev"), ("Виноградов", "Vinogradov"), ("Богданов", "Bogdanov"),
    ("Воробьёв", "Vorobyev"), ("Фёдоров", "Fedorov"), ("Михайлов", "Mikhaylov"),
    ("Тарасов", "Tarasov"), ("Белов", "Belov"), ("Комаров", "Komarov"), ("Орлов", "Orlov"),
    ("Киселёв", "Kiselev"), ("Макаров", "Makarov"), ("Андреев", "Andreyev"),
    ("Ковалёв", "Kovalev"), ("Ильин", "Ilin"), ("Гусев", "Gusev"), ("Кузьмин", "Kuzmin"),
    ("Кудрявцев", "Kudryavtsev"), ("Куликов", "Kulikov"), ("Алексеев", "Alekseyev"),
    ("Яковлев", "Yakovlev"), ("Сорокин", "Sorokin"), ("Захаров", "Zakharov"),
    ("Королёв", "Korolev"), ("Медведев", "Medvedev"), ("Ершов", "Yershov"),
    ("Никитин", "Nikitin"), ("Поляков", "Polyakov"), ("Цветков", "Tsvetkov"),
    ("Жуков", "Zhukov"), ("Журавлёв", "Zhuravlev"), ("Николаев", "Nikolayev"),
    ("Крылов", "Krylov"), ("Щербаков", "Shcherbakov"), ("Тихонов", "Tikhonov"),
    ("Мухин", "Mukhin"), ("Архипов", "Arkhipov"), ("Чернов", "Chernov"),
    ("Хохлов", "Khokhlov"), ("Прохоров", "Prokhorov"), ("Щукин", "Shchukin"),
    ("Горбачёв", "Gorbachev"), ("Емельянов", "Yemelyanov"), ("Одинцов", "Odintsov"),
    ("Ефимов", "Yefimov"),
)  # fmt: skip
UKRAINIAN_MALE = (
    ("Олександр", "Oleksandr"), ("Андрій", "Andriy"), ("Сергій", "Serhiy"),
    ("Дмитро", "Dmytro"), ("Микола", "Mykola"), ("Володимир", "Volodymyr"),
    ("Юрій", "Yuriy"), ("Олег", "Oleh"), ("Віктор", "Viktor"), ("Іван", "Ivan"),
    ("Богдан", "Bohdan"), ("Тарас", "Taras"), ("Петро", "Petro"), ("Василь", "Vasyl"),
    ("Григорій", "Hryhoriy"), ("Олексій", "Oleksiy"), ("Євген", "Yevhen"),
)  # fmt: skip
UKRAINIAN_FEMALE = (
    ("Олена", "Olena"), ("Наталія", "Nataliya"), ("Оксана", "Oksana"), ("Ірина", "Iryna"),
    ("Тетяна", "Tetyana"), ("Юлія", "Yuliya"), ("Галина", "Halyna"),
    ("Людмила", "Lyudmyla"), ("Ганна", "Hanna"), ("Марія", "Mariya"),
    ("Світлана", "Svitlana"), ("Катерина", "Kateryna"),
)  # fmt: skip
UKRAINIAN_FAMILY = (
    ("Шевченко", "Shevchenko"), ("Коваленко", "Kovalenko"), ("Бондаренко", "Bondarenko"),
    ("Ткаченко", "Tkachenko"), ("Кравченко", "Kravchenko"), ("Олійник", "Oliynyk"),
    ("Шевчук", "Shevchuk"), ("Поліщук", "Polishchuk"), ("Ковальчук", "Kovalchuk"),
    ("Бойко", "Boyko"), ("Мельник", "Melnyk"), ("Лисенко", "Lysenko"),
    ("Руденко", "Rudenko"), ("Савченко", "Savchenko"), ("Петренко", "Petrenko"),
    ("Марченко", "Marchenko"), ("Мороз", "Moroz"), ("Павленко", "Pavlenko"),
    ("Кравчук", "Kravchuk"), ("Литвиненко", "Lytvynenko"), ("Гончаренко", "Honcharenko"),
    ("Ющенко", "Yushchenko"), ("Тимошенко", "Tymoshenko"), ("Клименко", "Klymenko"),
    ("Левченко", "Levchenko"), ("Іваненко", "Ivanenko"), ("Карпенко", "Karpenko"),
    ("Гаврилюк", "Havrylyuk"), ("Романюк", "Romanyuk"), ("Приходько", "Prykhodko"),
)  # fmt: skip


def russian_feminine(cyrillic: str, latin: str) -> tuple[str, str]:
    """Иванов/Ivanov -> Иванова/Ivanova; Ильин -> Ильина; other surnames do not change."""
    if cyrillic.endswith(("ов", "ёв", "ев", "ин", "ын")):
        return cyrillic + "а", latin + "a"
    return cyrillic, latin


# Surnames that are common words, with an English rendering a machine translation gives.
# (surname, culture, English) - the words' everyday meanings (see docs/screening.md).
TRANSLATABLE_SURNAMES = (
    ("Rubio", "spanish", "Blond"), ("Blanco", "spanish", "White"),
    ("Moreno", "spanish", "Brown"), ("Castillo", "spanish", "Castle"),
    ("Delgado", "spanish", "Thin"), ("Herrero", "spanish", "Smith"),
    ("Lobo", "spanish", "Wolf"), ("Cruz", "spanish", "Cross"), ("Paz", "spanish", "Peace"),
    ("Pierre", "haitian", "Stone"), ("Petit", "haitian", "Small"),
    ("Leblanc", "haitian", "White"), ("Lenoir", "haitian", "Black"),
    ("Boulanger", "haitian", "Baker"), ("Fontaine", "haitian", "Fountain"),
    ("Kovač", "serbian", "Smith"), ("Vuk", "serbian", "Wolf"), ("Golub", "serbian", "Dove"),
    ("Kralj", "serbian", "King"), ("Bardhi", "albanian", "White"),
    ("Guri", "albanian", "Stone"), ("Ujku", "albanian", "Wolf"),
)  # fmt: skip

# Names in scripts the matcher does not read, and in scripts it reads, for the
# "unscreenable" slice: each must be read or reported, never silently clean.
SCRIPT_SAMPLES = (
    ("Ethiopic", "ጌታቸው ረዳ"), ("Ethiopic", "አበበ ቢቂላ"), ("Tamil", "முத்துவேல் கருணாநிதி"),
    ("Tamil", "சுப்பிரமணியன் ராஜா"), ("Khmer", "ហ៊ុន សែន"), ("Khmer", "សុខ ចាន់"),
    ("Sinhala", "මහින්ද රාජපක්ෂ"), ("Tibetan", "བསྟན་འཛིན་རྒྱ་མཚོ"),
    ("Myanmar", "အောင်ဆန်းစုကြည်"), ("Bengali", "শেখ হাসিনা"),
    ("Japanese kanji", "山田 たろう"), ("Arabic", "محمد عبد الحكيم"),
    ("Persian", "مهدی کروبی"), ("Hebrew", "משה כהן"), ("Greek", "Γιώργος Παπαδόπουλος"),
    ("Georgian", "გიორგი ბერიძე"), ("Armenian", "Արմեն Սարգսյան"), ("Chinese", "毛泽东"),
    ("Korean", "김정은"), ("Thai", "สมชาย วงศ์สวัสดิ์"), ("Devanagari", "राहुल गांधी"),
    ("Japanese kana", "やまだ たろう"), ("Cyrillic", "Јован Петровић"),
)  # fmt: skip
