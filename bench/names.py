"""Name pools for the generated roster and directory: the names of a London primary school today.

Children's and adults' first names differ by generation, so there are two pools per background. The
backgrounds and their weights follow the mix of an outer-London borough (Redbridge): British and
Irish, South Asian, West African, Eastern European, Caribbean, Somali, Turkish, Chinese, Portuguese
and Brazilian. Accents, apostrophes, hyphens and multi-word surnames are kept as families write them,
because the name detector must find "Zoë", "O'Neill", "Anne-Marie" and "van der Berg".
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BACKGROUNDS", "PREFERRED", "Background"]


@dataclass(frozen=True, slots=True)
class Background:
    name: str
    weight: float
    girls: tuple[str, ...]
    boys: tuple[str, ...]
    adults: tuple[str, ...]
    surnames: tuple[str, ...]


def _t(words: str) -> tuple[str, ...]:
    return tuple(w.replace("_", " ") for w in words.split())


BACKGROUNDS: tuple[Background, ...] = (
    Background(
        "british_irish",
        0.40,
        _t(
            "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace "
            "Daisy Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Matilda "
            "Millie Alice Maisie Harriet Ruby Hallie Esme Chloé Zoë Anne-Marie Mary-Jane Aoife Niamh "
            "Róisín Caoimhe Siobhán Orla Imogen Penelope Eliza Beatrice Holly Lottie Martha Edith"
        ),
        _t(
            "Noah Oliver George Arthur Leo Muhammad Harry Oscar Archie Henry Theodore Freddie Jack "
            "Charlie Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander "
            "Luca Edward James Joshua Albie Elijah Max Mason Reuben Sebastian Ronnie Jude Harrison "
            "Frankie Rory Ciarán Seán Oisín Cillian Jean-Luc Dylan Louie Stanley Hugo Ezra"
        ),
        _t(
            "Sarah Claire Rebecca Helen Nicola Emma Gemma Lisa Joanne Rachel Jennifer Michelle Samantha "
            "Louise Kirsty Victoria Katherine Laura Hannah Lucy Paul Mark David Andrew Richard Daniel "
            "Matthew Christopher Stephen Gareth Simon Neil Jonathan Peter Siobhán Ciara Declan Aidan"
        ),
        _t(
            "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
            "Walker White Roberts Green Hall Wood Jackson Clarke Hughes Ward Turner Cooper Hill Moore "
            "Harris Martin Lewis Baker Edwards Collins Stevens Bennett Parker Cook Morgan Bell Murphy "
            "Kelly O'Brien O'Neill O'Connor O'Sullivan McCarthy McDonald Fitzgerald Doherty Gallagher "
            "Fletcher Barnes Chapman Marshall Hudson Lawrence Dixon Knight Pearce Saunders Holmes "
            "Richardson Harvey Mills Lloyd Ellis Webb Palmer Spencer Hunt Gray Russell Fox Shaw Rose"
        ),
    ),
    Background(
        "south_asian",
        0.24,
        _t(
            "Aisha Zara Fatima Maryam Amira Zainab Inaaya Ayesha Hafsa Khadija Safiya Anaya Priya "
            "Riya Saanvi Aanya Diya Ishani Kavya Myra Navya Simran Jasmine Amara Alisha Anika Eshal "
            "Haniya Hoorain Manha Mehreen Noor Sana Samira Tahira Yasmin Zoya Anoushka Harleen Jasleen"
        ),
        _t(
            "Mohammed Muhammad Ibrahim Yusuf Hamza Ayaan Aarav Arjun Vihaan Ishaan Rayan Zayn Musa "
            "Ali Haris Idris Zakariya Dawud Eesa Hassan Hussain Imran Kabir Krish Rohan Reyansh Shlok "
            "Advik Armaan Arham Ayan Daniyal Faris Harjot Ishaq Mikaeel Nabeel Rehan Sahil Yahya Zain"
        ),
        _t(
            "Nasreen Shazia Rukhsana Farzana Parveen Sunita Anjali Nisha Shabana Reena Tasneem Sadia "
            "Imran Tariq Sanjay Rajesh Amjad Asif Kamran Sandeep Vikram Naveed Arif Sajid Pritpal"
        ),
        _t(
            "Khan Patel Ahmed Hussain Ali Begum Shah Singh Kaur Sharma Chowdhury Rahman Islam Iqbal "
            "Malik Mahmood Siddiqui Gupta Choudhury Uddin Miah Bibi Akhtar Aslam Bhatti Butt Chaudhry "
            "Dhillon Gill Grewal Javed Kapoor Mirza Mistry Nawaz Parmar Qureshi Rana Rashid Sandhu "
            "Sethi Sheikh Sohal Thakkar Virdi Zaman Ahmed-Khan Hussain-Shah Desai Joshi Mehta Shah"
        ),
    ),
    Background(
        "west_african",
        0.11,
        _t(
            "Chiamaka Adaeze Folake Ngozi Temitope Damilola Ife Kemi Ama Abena Efua Esi Adwoa Akosua "
            "Amarachi Chidinma Oluwatoyin Oluwadamilola Ayomide Precious Blessing Favour Deborah "
            "Ifeoluwa Morayo Nkechi Obioma Tolulope Yetunde"
        ),
        _t(
            "Oluwaseun Chidi Tobi Kwame Kofi Emeka Segun Ayodele Oluwadamilare Yaw Kwabena Kojo Nana "
            "Chukwuemeka Obinna Tunde Femi David-Ola Ebuka Ikenna Jomo Kelechi Olumide Tobenna "
            "Toluwani Uche Victor Daniel Samuel Joshua"
        ),
        _t(
            "Abimbola Funmilayo Olumide Chinwe Ifeoma Kwabena Adeola Bukola Chioma Nnamdi Oladipo "
            "Gbenga Adwoa Akua Kofi Yaa"
        ),
        _t(
            "Okafor Adeyemi Mensah Osei Boateng Owusu Okonkwo Adeleke Oyelaran Asante Nwosu Eze "
            "Ogunleye Adebayo Balogun Agyeman Appiah Danso Oduya Afolabi Okoro Obi Nwachukwu Ogunbiyi "
            "Adewale Oyedepo Ansah Amoah Darko Frimpong Kuffour Ofori Opoku Sarpong Bankole Okeke "
            "Onyekachi Olatunji Akinola Babatunde"
        ),
    ),
    Background(
        "eastern_european",
        0.12,
        _t(
            "Zofia Łucja Wiktoria Oliwia Aleksandra Maja Julia Hanna Natalia Zuzanna Amelia Lena "
            "Ioana Elena Bianca Eliza Ana-Maria Maria Kateřina Tereza Adéla Anastasia Darya Sofija "
            "Emilija Gabrielė Kristina Nikola Alicja Weronika"
        ),
        _t(
            "Jakub Mikołaj Szymon Kacper Filip Antoni Jan Aleksander Franciszek Wojciech Andrei Mihai "
            "Ștefan Darius Matei Luca Tomáš Lukas Dominik Matěj Vojtěch Nikita Artem Bogdan Dawid "
            "Igor Marek Patryk Oskar Tymon"
        ),
        _t(
            "Agnieszka Katarzyna Magdalena Marta Piotr Tomasz Ioana Andreea Marius Cristina Jana "
            "Petra Małgorzata Krzysztof Grzegorz Irina"
        ),
        _t(
            "Kowalski Nowak Wiśniewska Wójcik Kowalczyk Lewandowski Zieliński Szymańska Kamiński "
            "Popescu Ionescu Popa Dumitru Stan Nagy Horváth Kovács Novák Dvořák Petrov Ivanova "
            "Kazlauskas Bērziņš Jankauskaitė Wróbel Mazur Krawczyk Grabowski Pawlak Michalska Dąbrowski "
            "Jabłoński Constantin Georgescu Rusu Munteanu Svoboda Procházka Černá Petrauskas Ozola"
        ),
    ),
    Background(
        "caribbean",
        0.05,
        _t("Nia Shanice Amara Jada Kiara Tiana Leah Keira Aaliyah Jade Destiny Imani"),
        _t("Jayden Kai Tyrese Malachi Jaden Kyrie Jermaine Nathaniel Reon Dante Marley Isaiah"),
        _t("Marcia Beverley Donna Yvonne Winston Desmond Clive Delroy Sonia"),
        _t(
            "Campbell Thomas Francis Bailey Grant Henry Bryan Forbes Gordon Reid Williams-Grant "
            "Brown-Campbell Josephs Lindo Samuels"
        ),
    ),
    Background(
        "somali",
        0.03,
        _t("Hodan Hamdi Yasmin Ifrah Amina Sagal Ayan Fadumo Ikran Nasra"),
        _t("Abdi Abdirahman Mahad Liban Guled Zakaria Bilal Khalid Said Abdullahi"),
        _t("Asha Halima Faduma Mohamed Abdi Ahmed"),
        _t("Abdi Mohamed Hassan Warsame Osman Farah Yusuf Jama Nur Ismail Hirsi Aden"),
    ),
    Background(
        "turkish",
        0.02,
        _t("Elif Zeynep Eylül Defne Ecrin Azra Ela Nehir"),
        _t("Emir Ömer Yusuf Mustafa Kerem Arda Efe Çınar"),
        _t("Ayşe Fatma Mehmet Hüseyin Gül"),
        _t("Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın Arslan Doğan Kılıç"),
    ),
    Background(
        "chinese",
        0.015,
        _t("Jiayi Xinyi Zihan Yuxuan Mei Lin Chloe Grace"),
        _t("Yichen Hao Haoran Zixuan Ethan Ryan Jun Wei"),
        _t("Li Xiaoming Mei Hong Jian"),
        _t("Chen Wang Li Zhang Liu Wong Lam Cheung Ng Zhou"),
    ),
    Background(
        "portuguese_brazilian",
        0.025,
        _t("Inês Beatriz Mariana Leonor Matilde Lara Alícia Luísa"),
        _t("João Tiago Matheus Gonçalo Rodrigo Duarte Rafael Vicente"),
        _t("Ana Carla Sónia Paulo Nuno Sérgio"),
        _t(
            "Silva Santos Ferreira Pereira Costa Gonçalves Oliveira Rodrigues da_Silva de_Souza "
            "Da_Costa Conceição Fernandes Lopes"
        ),
    ),
    Background(
        "other_european",
        0.015,
        _t("Anaïs Noémie Renée Léa Chiara Giulia Sofie Lotte"),
        _t("Mathéo Noé Raphaël Lorenzo Matteo Luuk Sem Søren"),
        _t("Céline Sabine Giovanni Pieter Anke"),
        _t("van_der_Berg de_Vries Müller Dubois Lefèvre Rossi Bianchi Jansen van_Dijk Møller"),
    ),
)

#: Names children are often called instead of the name on the roster (the `preferred_name` column).
PREFERRED: dict[str, str] = {
    "Amelia": "Millie",
    "Oliver": "Ollie",
    "Alexander": "Alex",
    "Aleksandra": "Ola",
    "Jakub": "Kuba",
    "Mohammed": "Mo",
    "Oluwaseun": "Seun",
    "Oluwadamilare": "Dami",
    "Oluwadamilola": "Dami",
    "Temitope": "Tope",
    "William": "Will",
    "Thomas": "Tom",
    "Zofia": "Zosia",
    "Theodore": "Theo",
    "Chiamaka": "Amaka",
    "Aleksander": "Olek",
    "Florence": "Flo",
    "Harriet": "Hattie",
    "Elizabeth": "Lizzie",
    "Chukwuemeka": "Emeka",
    "Abdirahman": "Abdi",
    "Ifeoluwa": "Ife",
    "Isabella": "Bella",
    "Sebastian": "Seb",
    "Wiktoria": "Wiki",
    "Katherine": "Kate",
    "Mikołaj": "Miki",
    "Sofia": "Sofi",
    "Franciszek": "Franek",
}
