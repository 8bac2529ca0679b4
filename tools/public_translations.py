"""Arabic and Somali texts of the public pages (issue #14), by English msgid; read by
`tools/public_catalogues.py`. A (context, msgid) key holds a message with a context.

Written for residents: plain words, the formal register of public notices (Modern Standard
Arabic; standard Somali). Placeholders such as %(place)s stay as they are.
"""

CATEGORY = "incident category"

AR = {
    # The public base template and navigation
    "Skip to content": "انتقل إلى المحتوى",
    # Map tiles that did not load (static/js/map.js, issue #16)
    "The map background could not be loaded. The pin and the list still work.": (
        "تعذّر تحميل خلفية الخريطة. العلامة والقائمة لا تزالان تعملان."
    ),
    # The one error summary and empty choice of every form (templates/includes, issue #22)
    "There is a problem": "توجد مشكلة",
    "Choose …": "اختر …",
    "How we handle data": "كيف نتعامل مع البيانات",
    "Language": "اللغة",
    "This place": "هذا المكان",
    "About the place": "عن المكان",
    "Send us a tip": "أرسل لنا بلاغًا",
    "Tips and what we did": "البلاغات وما قمنا به",
    "Preview: this page is not public yet. Only the place's managers can see it.": (
        "معاينة: هذه الصفحة ليست عامة بعد. لا يراها إلا مسؤولو المكان."
    ),
    "We store no name, no IP address and nothing else that identifies you.": (
        "لا نحفظ اسمك ولا عنوان IP الخاص بك ولا أي شيء آخر يدل على هويتك."
    ),
    # Tip form and tracking
    "Category": "الفئة",
    "Status": "الحالة",
    "Status:": "الحالة:",
    "Responsible organisation": "الجهة المسؤولة",
    "Latitude": "خط العرض",
    "Longitude": "خط الطول",
    "Other": "أخرى",
    "Lighting": "الإنارة",
    "Graffiti": "الكتابة على الجدران",
    "Litter": "النفايات",
    "Vegetation": "النباتات والأشجار",
    "Vandalism": "التخريب",
    "Traffic": "حركة المرور",
    "Accessibility": "سهولة الوصول",
    "Received": "تم الاستلام",
    "Declined": "مرفوض",
    "This file is not a photo we can read. Upload a JPEG, PNG or WebP image.": (
        "هذا الملف ليس صورة يمكننا قراءتها. حمّل صورة بصيغة JPEG أو PNG أو WebP."
    ),
    "The photo is too large in pixels; take it again at a lower resolution.": (
        "الصورة كبيرة جدًا من حيث عدد البكسلات؛ التقطها مرة أخرى بدقة أقل."
    ),
    "The photo is %(size)s; the largest photo we accept is %(max)s.": (
        "حجم الصورة %(size)s؛ وأكبر حجم نقبله هو %(max)s."
    ),
    "a personal identity number (personnummer)": "رقمًا شخصيًا (personnummer)",
    "a coordination number (samordningsnummer)": "رقم تنسيق (samordningsnummer)",
    "a phone number": "رقم هاتف",
    "an e-mail address": "عنوان بريد إلكتروني",
    "a social media account": "حسابًا على وسائل التواصل الاجتماعي",
    "a vehicle registration plate": "رقم لوحة سيارة",
    "what looks like the name of a person": "ما يبدو أنه اسم شخص",
    "This text contains %(found)s (%(examples)s). Describe events and places, never "
    "people: remove it and save again.": (
        "يحتوي هذا النص على %(found)s (%(examples)s). صِف الأحداث والأماكن، لا الأشخاص: "
        "احذفه ثم أرسل مرة أخرى."
    ),
    "Received – waiting for review": "تم الاستلام – في انتظار المراجعة",
    "Accepted – passed on to those responsible": "مقبول – أُحيل إلى الجهة المسؤولة",
    "Being dealt with": "قيد المعالجة",
    "Fixed": "تمت المعالجة",
    "Closed without action": "أُغلق دون إجراء",
    "Fill in this field.": "املأ هذا الحقل.",
    "What is it about?": "بماذا يتعلق الأمر؟",
    "Choose one of the options.": "اختر أحد الخيارات.",
    "Describe the problem": "صِف المشكلة",
    "Describe what and where, never who: no names, phone numbers or plates.": (
        "صِف ماذا وأين، وليس من: لا أسماء ولا أرقام هواتف ولا أرقام لوحات سيارات."
    ),
    "Where, in words (optional)": "أين، بالكلمات (اختياري)",
    "Set a pin on the map (or use your position).": "ضع علامة على الخريطة (أو استخدم موقعك).",
    "Enter a number.": "أدخل رقمًا.",
    "Photo (optional)": "صورة (اختياري)",
    "JPEG, PNG or WebP. Location data and other metadata are removed.": (
        "JPEG أو PNG أو WebP. تُحذف بيانات الموقع والبيانات الوصفية الأخرى."
    ),
    "Your e-mail address (optional)": "بريدك الإلكتروني (اختياري)",
    "Only for updates about this tip; erased when the tip is closed.": (
        "فقط لإرسال مستجدات هذا البلاغ؛ ويُحذف عند إغلاق البلاغ."
    ),
    "Enter a valid e-mail address.": "أدخل عنوان بريد إلكتروني صحيحًا.",
    "Description of the action item": "وصف الإجراء المطلوب",
    "Existing action item": "إجراء موجود",
    "Reason (shown to the person who sent the tip)": "السبب (يظهر لمن أرسل البلاغ)",
    "Give a reason.": "اذكر السبب.",
    "The public page is on": "الصفحة العامة مفعّلة",
    ("a quoted word", "“%(word)s”"): "«%(word)s»",
    "%(names)s looks like the name of a person. Describe events and places, never people: "
    "remove the name — or, if it is not a person (a street, a shop, an organisation …), tick "
    "the box below.": (
        "يبدو أن %(names)s اسم شخص. صِف الأحداث والأماكن، لا الأشخاص: احذف الاسم — أو، إن لم "
        "يكن شخصًا (شارعًا أو متجرًا أو منظمة …)، ضع علامة في المربع أدناه."
    ),
    "%(names)s looks like the name of a person. Please write without names of people; a "
    "street or a shop can be described instead (“the kiosk by the square”).": (
        "يبدو أن %(names)s اسم شخص. يُرجى الكتابة دون أسماء أشخاص؛ يمكنك وصف الشارع أو المتجر "
        "بدلًا من ذلك («الكشك بجوار الساحة»)."
    ),
    "The pin is %(km)s km from %(place)s. Set it on the place, or leave the position "
    "empty.": "العلامة تبعد %(km)s كم عن %(place)s. ضعها على المكان، أو اترك الموقع فارغًا.",
    "Where": "أين",
    "Finding your position…": "جارٍ تحديد موقعك…",
    "Position set.": "تم تحديد الموقع.",
    "Your position could not be found. Set the pin on the map or enter coordinates.": (
        "تعذّر العثور على موقعك. ضع العلامة على الخريطة أو أدخل الإحداثيات."
    ),
    "Use my position": "استخدم موقعي",
    "Coordinates": "الإحداثيات",
    "Something broken, dirty or unsafe at %(place)s? Tell us. You do not need an account, "
    "and we do not store who you are.": (
        "هل هناك شيء مكسور أو متسخ أو غير آمن في %(place)s؟ أخبرنا. لا تحتاج إلى حساب، ولا "
        "نحفظ هويتك."
    ),
    "Tap the map to set a pin where the problem is, or use your position.": (
        "اضغط على الخريطة لوضع علامة في مكان المشكلة، أو استخدم موقعك."
    ),
    "Leave this field empty": "اترك هذا الحقل فارغًا",
    "Send the tip": "أرسل البلاغ",
    "Tips we have accepted and where they stand. Positions are shown to the nearest 100 "
    "metres.": "البلاغات التي قبلناها ومرحلة كل منها. تُعرض المواقع بدقة 100 متر تقريبًا.",
    "Accepted tips": "البلاغات المقبولة",
    "Position (about)": "الموقع (تقريبًا)",
    "No accepted tips yet.": "لا توجد بلاغات مقبولة بعد.",
    "Please wait a while": "يُرجى الانتظار قليلًا",
    "Many tips have been sent from your network in the last hour. Please try again later.": (
        "أُرسلت بلاغات كثيرة من شبكتك خلال الساعة الأخيرة. يُرجى المحاولة لاحقًا."
    ),
    "Your tip": "بلاغك",
    "Thank you! Your tip has been received.": "شكرًا لك! تم استلام بلاغك.",
    "Save this page's address to follow your tip:": "احفظ عنوان هذه الصفحة لمتابعة بلاغك:",
    "Reviewed and passed on to those responsible": "تمت مراجعته وإحالته إلى الجهة المسؤولة",
    "What you told us": "ما أخبرتنا به",
    # The tipper's e-mail updates
    "Your tip about %(place)s": "بلاغك عن %(place)s",
    "Thank you for your tip.": "شكرًا على بلاغك.",
    "It has been accepted and passed on to those responsible.": (
        "تم قبوله وإحالته إلى الجهة المسؤولة."
    ),
    "It has been declined.": "تم رفضه.",
    "It has been fixed.": "تمت معالجته.",
    "It has been closed.": "تم إغلاقه.",
    "Follow your tip here:": "تابع بلاغك هنا:",
    "Your e-mail address has now been erased.": "تم الآن حذف عنوان بريدك الإلكتروني.",
    # The place's public page
    "Safety index": "مؤشر الأمان",
    "Total": "المجموع",
    (CATEGORY, "Vandalism"): "تخريب",
    (CATEGORY, "Graffiti"): "كتابة على الجدران",
    (CATEGORY, "Littering"): "رمي النفايات",
    (CATEGORY, "Theft/shoplifting"): "سرقة/سرقة من المتاجر",
    (CATEGORY, "Burglary"): "سطو",
    (CATEGORY, "Threats"): "تهديد",
    (CATEGORY, "Violence"): "عنف",
    (CATEGORY, "Robbery"): "سرقة بالإكراه",
    (CATEGORY, "Suspected drug dealing"): "اشتباه في تجارة المخدرات",
    (CATEGORY, "Public disorder"): "إخلال بالنظام العام",
    (CATEGORY, "Intoxicated persons"): "أشخاص تحت تأثير الكحول أو المخدرات",
    (CATEGORY, "Reckless driving"): "قيادة متهورة",
    (CATEGORY, "Fire"): "حريق",
    (CATEGORY, "Disruptive groups"): "مجموعات مزعجة",
    (CATEGORY, "Other"): "أخرى",
    "A place run together by the organisations below, in %(municipality)s. Tell us what "
    "needs fixing – we follow up and show what we did.": (
        "مكان تديره معًا الجهات المذكورة أدناه، في %(municipality)s. أخبرنا بما يحتاج إلى "
        "إصلاح – نحن نتابع ونعرض ما قمنا به."
    ),
    "How safe do you feel here?": "ما مدى شعورك بالأمان هنا؟",
    "Answer our short, anonymous survey.": "أجب عن استبياننا القصير والمجهول الهوية.",
    "Answer the survey": "أجب عن الاستبيان",
    "Coming up": "الفعاليات القادمة",
    "No public events are planned right now.": "لا توجد فعاليات عامة مخطط لها حاليًا.",
    "Subscribe to the calendar (iCal)": "اشترك في التقويم (iCal)",
    "You told us – we fixed it": "أخبرتمونا – فعالجنا",
    "fixed": "عولج في",
    "Before:": "قبل:",
    "After:": "بعد:",
    "Photo of the problem": "صورة المشكلة",
    "Nothing to show yet.": "لا يوجد ما يُعرض بعد.",
    "All tips and their status": "كل البلاغات وحالتها",
    "Figures": "أرقام",
    "Counts below 5 are shown as “fewer than 5” so that no event or person can be singled "
    "out. Some incidents are counted only in the total.": (
        "تُعرض الأعداد الأقل من 5 على أنها «أقل من 5» حتى لا يمكن تمييز أي حدث أو شخص. "
        "وبعض الحوادث تُحتسب في المجموع فقط."
    ),
    "Reported incidents per month": "الحوادث المبلَّغ عنها شهريًا",
    "Month": "الشهر",
    "fewer than 5": "أقل من 5",
    "too few answers yet": "لا توجد إجابات كافية بعد",
    "Safety index over time": "مؤشر الأمان عبر الزمن",
    "0–100 from our surveys: 100 means everyone feels safe.": (
        "من 0 إلى 100 حسب استبياناتنا: 100 تعني أن الجميع يشعرون بالأمان."
    ),
    "Survey": "الاستبيان",
    "Date": "التاريخ",
    "Answers": "الإجابات",
    "No survey results yet.": "لا توجد نتائج استبيان بعد.",
    "Who runs the place": "من يدير المكان",
    "No member organisations yet.": "لا توجد جهات أعضاء بعد.",
    # Organisation kinds
    "Property owner": "مالك عقار",
    "Business": "نشاط تجاري",
    "Municipality": "البلدية",
    "Police": "الشرطة",
    "Housing company": "شركة إسكان",
    "Association": "جمعية",
    "Security company": "شركة حراسة",
    "Public transport": "النقل العام",
    # The survey answer page
    "How are you connected to the place?": "ما علاقتك بهذا المكان؟",
    "Answer this question to continue.": "أجب عن هذا السؤال للمتابعة.",
    "Choose one of the answers given.": "اختر إحدى الإجابات المعروضة.",
    "I live here": "أسكن هنا",
    "I work here": "أعمل هنا",
    "I am visiting": "أنا زائر",
    "This form has expired. Check your answers and send them again.": (
        "انتهت صلاحية هذا النموذج. راجع إجاباتك وأرسلها مرة أخرى."
    ),
    "Yes": "نعم",
    "No": "لا",
    "Please check your answers": "يُرجى مراجعة إجاباتك",
    "Your answers are anonymous: we store no name, no IP address and nothing else that "
    "identifies you.": (
        "إجاباتك مجهولة الهوية: لا نحفظ اسمًا ولا عنوان IP ولا أي شيء آخر يدل على هويتك."
    ),
    "We have already received your answers. Thank you!": "لقد استلمنا إجاباتك بالفعل. شكرًا لك!",
    "Each phone or computer answers once, so that every voice counts the same.": (
        "يجيب كل هاتف أو حاسوب مرة واحدة، حتى يكون لكل صوت الوزن نفسه."
    ),
    "Send my answers": "أرسل إجاباتي",
    "This survey is not open for answers right now.": "هذا الاستبيان غير مفتوح للإجابة حاليًا.",
    "It opens on %(date)s. Welcome back then!": "يُفتح في %(date)s. نرحب بعودتك حينها!",
    "It has not started yet. Welcome back later!": "لم يبدأ بعد. نرحب بعودتك لاحقًا!",
    "It has closed. Thank you for your interest – the results help make the place safer.": (
        "لقد أُغلق. شكرًا لاهتمامك – تساعد النتائج في جعل المكان أكثر أمانًا."
    ),
    "Very many answers have come from your network in a short time, so we are pausing "
    "answers from it for a while.": (
        "وصلت إجابات كثيرة جدًا من شبكتك في وقت قصير، لذلك أوقفنا الإجابات منها مؤقتًا."
    ),
    "Please try again in an hour. Thank you for your patience!": (
        "يُرجى المحاولة مرة أخرى بعد ساعة. شكرًا لصبرك!"
    ),
    "Thank you": "شكرًا",
    "Thank you for your answers!": "شكرًا على إجاباتك!",
    "Your answers help everyone working together on %(place)s to make it a safer place.": (
        "تساعد إجاباتك كل من يعملون معًا في %(place)s على جعله مكانًا أكثر أمانًا."
    ),
    "You can close this page now.": "يمكنك إغلاق هذه الصفحة الآن.",
}

SO = {
    # The public base template and navigation
    "Skip to content": "U gudub waxa ku jira",
    # Map tiles that did not load (static/js/map.js, issue #16)
    "The map background could not be loaded. The pin and the list still work.": (
        "Khariidadda gadaasheeda lama soo dejin karin. Calaamadda iyo liisku weli way shaqeeyaan."
    ),
    # The one error summary and empty choice of every form (templates/includes, issue #22)
    "There is a problem": "Waxaa jira dhibaato",
    "Choose …": "Dooro …",
    "How we handle data": "Sida aan xogta u maareyno",
    "Language": "Luqadda",
    "This place": "Goobtan",
    "About the place": "Ku saabsan goobta",
    "Send us a tip": "Noo soo dir warbixin",
    "Tips and what we did": "Warbixinnada iyo waxa aan qabannay",
    "Preview: this page is not public yet. Only the place's managers can see it.": (
        "Hordhac: boggan weli ma aha mid dadweyne. Waxa arki kara oo keliya maamulayaasha goobta."
    ),
    "We store no name, no IP address and nothing else that identifies you.": (
        "Ma kaydino magac, ciwaanka IP-ga, ama wax kale oo ku aqoonsanaya."
    ),
    # Tip form and tracking
    "Category": "Nooca",
    "Status": "Xaaladda",
    "Status:": "Xaaladda:",
    "Responsible organisation": "Hay'adda mas'uulka ah",
    "Latitude": "Loolka",
    "Longitude": "Dhererka",
    "Other": "Kale",
    "Lighting": "Iftiinka",
    "Graffiti": "Qoraalka derbiyada",
    "Litter": "Qashinka",
    "Vegetation": "Geedaha iyo dhirta",
    "Vandalism": "Burbur ula kac ah",
    "Traffic": "Taraafikada",
    "Accessibility": "Helitaanka (dadka naafada ah)",
    "Received": "Waa la helay",
    "Declined": "Waa la diiday",
    "This file is not a photo we can read. Upload a JPEG, PNG or WebP image.": (
        "Faylkani ma aha sawir aan akhrin karno. Soo geli sawir JPEG, PNG ama WebP ah."
    ),
    "The photo is too large in pixels; take it again at a lower resolution.": (
        "Sawirku pixel ahaan aad buu u weyn yahay; mar kale ku qaad tayo ka yar."
    ),
    "The photo is %(size)s; the largest photo we accept is %(max)s.": (
        "Sawirku waa %(size)s; sawirka ugu weyn ee aan aqbalno waa %(max)s."
    ),
    "a personal identity number (personnummer)": "lambar aqoonsi shakhsi ah (personnummer)",
    "a coordination number (samordningsnummer)": "lambar isku-duwid (samordningsnummer)",
    "a phone number": "lambar taleefan",
    "an e-mail address": "ciwaan iimayl",
    "a social media account": "akoon baraha bulshada",
    "a vehicle registration plate": "taarikada gaariga",
    "what looks like the name of a person": "wax u eg magaca qof",
    "This text contains %(found)s (%(examples)s). Describe events and places, never "
    "people: remove it and save again.": (
        "Qoraalkan waxa ku jira %(found)s (%(examples)s). Sharax dhacdooyinka iyo meelaha, "
        "ha sharixin dadka: ka saar oo mar kale dir."
    ),
    "Received – waiting for review": "Waa la helay – waxa uu sugayaa dib-u-eegis",
    "Accepted – passed on to those responsible": "Waa la aqbalay – loo gudbiyey kuwa mas'uulka ah",
    "Being dealt with": "Waa la xallinayaa",
    "Fixed": "Waa la xalliyey",
    "Closed without action": "Waa la xiray iyadoo aan wax la qaban",
    "Fill in this field.": "Buuxi goobtan.",
    "What is it about?": "Maxay ku saabsan tahay?",
    "Choose one of the options.": "Dooro mid ka mid ah doorashooyinka.",
    "Describe the problem": "Sharax dhibaatada",
    "Describe what and where, never who: no names, phone numbers or plates.": (
        "Sharax waxa iyo meesha, ha sheegin cidda: magacyo, lambarro taleefan ama taarikado ha "
        "qorin."
    ),
    "Where, in words (optional)": "Halkee, erayo ahaan (ikhtiyaari)",
    "Set a pin on the map (or use your position).": (
        "Calaamad dhig khariidadda (ama isticmaal goobtaada)."
    ),
    "Enter a number.": "Geli lambar.",
    "Photo (optional)": "Sawir (ikhtiyaari)",
    "JPEG, PNG or WebP. Location data and other metadata are removed.": (
        "JPEG, PNG ama WebP. Xogta goobta iyo xogta kale ee sawirka waa laga saarayaa."
    ),
    "Your e-mail address (optional)": "Ciwaankaaga iimaylka (ikhtiyaari)",
    "Only for updates about this tip; erased when the tip is closed.": (
        "Kaliya wararka ku saabsan warbixintan; waa la tirayaa marka warbixinta la xiro."
    ),
    "Enter a valid e-mail address.": "Geli ciwaan iimayl sax ah.",
    "Description of the action item": "Sharaxaadda hawsha la qabanayo",
    "Existing action item": "Hawl hore u jirtay",
    "Reason (shown to the person who sent the tip)": "Sababta (waxa la tusayaa qofka soo diray)",
    "Give a reason.": "Sheeg sababta.",
    "The public page is on": "Bogga dadweynaha waa shidan yahay",
    ("a quoted word", "“%(word)s”"): "“%(word)s”",
    "%(names)s looks like the name of a person. Describe events and places, never people: "
    "remove the name — or, if it is not a person (a street, a shop, an organisation …), tick "
    "the box below.": (
        "%(names)s waxa uu u eg yahay magac qof. Sharax dhacdooyinka iyo meelaha, ha sharixin "
        "dadka: ka saar magaca — ama, haddii aanu qof ahayn (waddo, dukaan, urur …), calaamadee "
        "sanduuqa hoose."
    ),
    "%(names)s looks like the name of a person. Please write without names of people; a "
    "street or a shop can be described instead (“the kiosk by the square”).": (
        "%(names)s waxa uu u eg yahay magac qof. Fadlan qor adigoon isticmaalin magacyada dadka; "
        "waxaad beddelkeeda sharixi kartaa waddo ama dukaan (“kiosk-ga fagaaraha agtiisa”)."
    ),
    "The pin is %(km)s km from %(place)s. Set it on the place, or leave the position empty.": (
        "Calaamaddu waxay %(km)s km u jirtaa %(place)s. Dhig goobta dushiisa, ama goobta "
        "banaan u daa."
    ),
    "Where": "Halkee",
    "Finding your position…": "Waxaa la raadinayaa goobtaada…",
    "Position set.": "Goobta waa la dejiyey.",
    "Your position could not be found. Set the pin on the map or enter coordinates.": (
        "Goobtaada lama helin. Calaamad dhig khariidadda ama geli isku-duwayaasha."
    ),
    "Use my position": "Isticmaal goobtayda",
    "Coordinates": "Isku-duwayaasha",
    "Something broken, dirty or unsafe at %(place)s? Tell us. You do not need an account, "
    "and we do not store who you are.": (
        "Ma jiraa wax jaban, wasakh ah ama aan ammaan ahayn %(place)s? Noo sheeg. Uma baahnid "
        "akoon, mana kaydino cidda aad tahay."
    ),
    "Tap the map to set a pin where the problem is, or use your position.": (
        "Taabo khariidadda si aad calaamad ugu dhigto meesha dhibaatadu ka jirto, ama isticmaal "
        "goobtaada."
    ),
    "Leave this field empty": "Goobtan banaan u daa",
    "Send the tip": "Dir warbixinta",
    "Tips we have accepted and where they stand. Positions are shown to the nearest 100 metres.": (
        "Warbixinnada aan aqbalnay iyo xaaladdooda. Goobaha waxa lagu muujiyaa qiyaas 100 mitir ah."
    ),
    "Accepted tips": "Warbixinnada la aqbalay",
    "Position (about)": "Goobta (qiyaas ahaan)",
    "No accepted tips yet.": "Weli ma jiraan warbixinno la aqbalay.",
    "Please wait a while": "Fadlan wax yar sug",
    "Many tips have been sent from your network in the last hour. Please try again later.": (
        "Warbixinno badan ayaa saacaddii la soo dhaafay laga soo diray shabakaddaada. Fadlan "
        "mar dambe isku day."
    ),
    "Your tip": "Warbixintaada",
    "Thank you! Your tip has been received.": "Mahadsanid! Warbixintaada waa la helay.",
    "Save this page's address to follow your tip:": (
        "Kaydi ciwaanka boggan si aad ula socoto warbixintaada:"
    ),
    "Reviewed and passed on to those responsible": (
        "Dib ayaa loo eegay oo loo gudbiyey kuwa mas'uulka ah"
    ),
    "What you told us": "Waxa aad noo sheegtay",
    # The tipper's e-mail updates
    "Your tip about %(place)s": "Warbixintaada ku saabsan %(place)s",
    "Thank you for your tip.": "Mahadsanid warbixintaada.",
    "It has been accepted and passed on to those responsible.": (
        "Waa la aqbalay waxaana loo gudbiyey kuwa mas'uulka ah."
    ),
    "It has been declined.": "Waa la diiday.",
    "It has been fixed.": "Waa la xalliyey.",
    "It has been closed.": "Waa la xiray.",
    "Follow your tip here:": "Halkan kala soco warbixintaada:",
    "Your e-mail address has now been erased.": "Ciwaankaaga iimaylka hadda waa la tirtiray.",
    # The place's public page
    "Safety index": "Tusaha ammaanka",
    "Total": "Wadarta",
    (CATEGORY, "Vandalism"): "Burbur ula kac ah",
    (CATEGORY, "Graffiti"): "Qoraalka derbiyada",
    (CATEGORY, "Littering"): "Qashin tuurid",
    (CATEGORY, "Theft/shoplifting"): "Xatooyo/xatooyo dukaan",
    (CATEGORY, "Burglary"): "Jabsi guri",
    (CATEGORY, "Threats"): "Hanjabaad",
    (CATEGORY, "Violence"): "Rabshad",
    (CATEGORY, "Robbery"): "Dhac",
    (CATEGORY, "Suspected drug dealing"): "Looga shakiyey ka ganacsiga daroogada",
    (CATEGORY, "Public disorder"): "Qalalaase dadweyne",
    (CATEGORY, "Intoxicated persons"): "Dad sakhraansan",
    (CATEGORY, "Reckless driving"): "Darawalnimo khatar ah",
    (CATEGORY, "Fire"): "Dab",
    (CATEGORY, "Disruptive groups"): "Kooxo qas wada",
    (CATEGORY, "Other"): "Kale",
    "A place run together by the organisations below, in %(municipality)s. Tell us what "
    "needs fixing – we follow up and show what we did.": (
        "Goob ay si wadajir ah u maamulaan hay'adaha hoose, %(municipality)s. Noo sheeg waxa "
        "u baahan in la hagaajiyo – waan la socanaa oo waxaan muujinaa waxa aan qabannay."
    ),
    "How safe do you feel here?": "Intee in le'eg ayaad halkan ku dareentaa ammaan?",
    "Answer our short, anonymous survey.": "Ka jawaab sahankayaga gaaban ee aan magaca lahayn.",
    "Answer the survey": "Ka jawaab sahanka",
    "Coming up": "Waxa soo socda",
    "No public events are planned right now.": (
        "Hadda ma jiraan dhacdooyin dadweyne oo la qorsheeyey."
    ),
    "Subscribe to the calendar (iCal)": "Iska diiwaangeli kalandarka (iCal)",
    "You told us – we fixed it": "Waad noo sheegteen – waan xallinnay",
    "fixed": "la xalliyey",
    "Before:": "Kahor:",
    "After:": "Kadib:",
    "Photo of the problem": "Sawirka dhibaatada",
    "Nothing to show yet.": "Weli wax la muujiyo ma jiro.",
    "All tips and their status": "Dhammaan warbixinnada iyo xaaladdooda",
    "Figures": "Tirooyin",
    "Counts below 5 are shown as “fewer than 5” so that no event or person can be singled "
    "out. Some incidents are counted only in the total.": (
        "Tirooyinka ka yar 5 waxa loo muujiyaa “ka yar 5” si aan dhacdo ama qof loo garan. "
        "Dhacdooyinka qaarkood waxa lagu tiriyaa wadarta oo keliya."
    ),
    "Reported incidents per month": "Dhacdooyinka la soo sheegay bishiiba",
    "Month": "Bisha",
    "fewer than 5": "ka yar 5",
    "too few answers yet": "jawaabo ku filan weli ma jiraan",
    "Safety index over time": "Tusaha ammaanka muddo ka dib",
    "0–100 from our surveys: 100 means everyone feels safe.": (
        "0–100 laga soo xigtay sahannadayada: 100 macnaheedu waa in qof walba dareemayo ammaan."
    ),
    "Survey": "Sahanka",
    "Date": "Taariikhda",
    "Answers": "Jawaabaha",
    "No survey results yet.": "Weli ma jiraan natiijooyin sahan.",
    "Who runs the place": "Cidda maamusha goobta",
    "No member organisations yet.": "Weli ma jiraan hay'ado xubno ah.",
    # Organisation kinds
    "Property owner": "Milkiilaha hantida",
    "Business": "Ganacsi",
    "Municipality": "Dowladda hoose",
    "Police": "Booliska",
    "Housing company": "Shirkadda guryaha",
    "Association": "Urur",
    "Security company": "Shirkadda ilaalada",
    "Public transport": "Gaadiidka dadweynaha",
    # The survey answer page
    "How are you connected to the place?": "Sidee ayaad ula xiriirtaa goobta?",
    "Answer this question to continue.": "Ka jawaab su'aashan si aad u sii waddo.",
    "Choose one of the answers given.": "Dooro mid ka mid ah jawaabaha la bixiyey.",
    "I live here": "Halkan ayaan degganahay",
    "I work here": "Halkan ayaan ka shaqeeyaa",
    "I am visiting": "Waan booqanayaa",
    "This form has expired. Check your answers and send them again.": (
        "Foomkani wuu dhacay. Hubi jawaabahaaga oo mar kale dir."
    ),
    "Yes": "Haa",
    "No": "Maya",
    "Please check your answers": "Fadlan hubi jawaabahaaga",
    "Your answers are anonymous: we store no name, no IP address and nothing else that "
    "identifies you.": (
        "Jawaabahaagu waa qarsoodi: ma kaydino magac, ciwaanka IP-ga ama wax kale oo ku "
        "aqoonsanaya."
    ),
    "We have already received your answers. Thank you!": (
        "Horay ayaan u helnay jawaabahaaga. Mahadsanid!"
    ),
    "Each phone or computer answers once, so that every voice counts the same.": (
        "Taleefan ama kombiyuutar kasta hal mar ayuu jawaabaa, si cod kastaa u miisaan siman "
        "yeesho."
    ),
    "Send my answers": "Dir jawaabahayga",
    "This survey is not open for answers right now.": "Sahankani hadda uma furna jawaabo.",
    "It opens on %(date)s. Welcome back then!": "Waxa uu furmayaa %(date)s. Markaas soo noqo!",
    "It has not started yet. Welcome back later!": "Weli ma bilaabmin. Mar dambe soo noqo!",
    "It has closed. Thank you for your interest – the results help make the place safer.": (
        "Waa la xiray. Mahadsanid xiisahaaga – natiijooyinku waxay gacan ka geystaan in goobta "
        "laga dhigo mid ammaan badan."
    ),
    "Very many answers have come from your network in a short time, so we are pausing "
    "answers from it for a while.": (
        "Jawaabo aad u badan ayaa waqti gaaban ka yimid shabakaddaada, sidaas darteed waxaan "
        "muddo yar joojinaynaa jawaabaha ka imanaya."
    ),
    "Please try again in an hour. Thank you for your patience!": (
        "Fadlan isku day saacad kadib. Mahadsanid dulqaadkaaga!"
    ),
    "Thank you": "Mahadsanid",
    "Thank you for your answers!": "Mahadsanid jawaabahaaga!",
    "Your answers help everyone working together on %(place)s to make it a safer place.": (
        "Jawaabahaagu waxay caawinayaan dhammaan kuwa wada shaqeeya %(place)s si ay uga "
        "dhigaan goob ammaan badan."
    ),
    "You can close this page now.": "Hadda waad xiri kartaa boggan.",
}

TRANSLATIONS = {"ar": AR, "so": SO}
