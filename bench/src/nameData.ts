// Name frequencies for the generator. Head lists carry approximate real frequencies (US 1990 census given
// names, per 10,000 of each sex; US 2010 census surnames, per 100,000 people), extended with common
// international names at plausible small weights, written with their accents. The surname tail is
// synthesised from origin-specific roots and endings so that a million patients have tens of thousands of
// distinct surnames, as a real US population does (a list of a few hundred would make every surname
// thousands strong and every search unrealistically unselective).

type Weighted = ReadonlyArray<readonly [string, number]>;

const w = (text: string): Array<[string, number]> =>
  text
    .trim()
    .split(/\s*,\s*/)
    .map((pair) => {
      const [name, weight] = pair.split(':');
      return [name!, Number(weight)];
    });

export const MALE_GIVEN: Weighted = w(`
James:332, John:327, Robert:314, Michael:263, William:245, David:236, Richard:170, Charles:152,
Joseph:140, Thomas:138, Christopher:104, Daniel:97, Paul:95, Mark:94, Donald:93, George:93, Kenneth:83,
Steven:78, Edward:78, Brian:74, Ronald:73, Anthony:72, Kevin:67, Jason:66, Matthew:66, Gary:65,
Timothy:64, Jose:61, Larry:60, Jeffrey:59, Frank:58, Scott:55, Eric:54, Stephen:54, Andrew:54,
Raymond:49, Gregory:44, Joshua:44, Jerry:43, Dennis:42, Walter:40, Patrick:39, Peter:38, Harold:37,
Douglas:37, Henry:37, Carl:35, Arthur:34, Ryan:33, Roger:32, Joe:32, Juan:32, Jack:32, Albert:31,
Jonathan:31, Justin:31, Terry:31, Gerald:30, Keith:30, Samuel:30, Willie:30, Ralph:28, Lawrence:28,
Nicholas:28, Roy:27, Benjamin:27, Bruce:26, Brandon:26, Adam:26, Harry:25, Fred:25, Wayne:25, Billy:25,
Steve:25, Louis:24, Jeremy:24, Aaron:24, Randy:23, Howard:23, Eugene:23, Carlos:23, Russell:22,
Bobby:22, Victor:22, Martin:22, Ernest:21, Phillip:21, Todd:21, Jesse:21, Craig:21, Alan:21, Shawn:20,
Clarence:20, Sean:20, Philip:20, Chris:20, Johnny:20, Earl:20, Jimmy:20, Antonio:20, Danny:19, Bryan:19,
Tony:19, Luis:19, Mike:19, Stanley:19, Leonard:19, Nathan:19, Dale:19, Manuel:19, Rodney:18, Curtis:18,
Norman:18, Allen:18, Marvin:18, Vincent:18, Glenn:18, Jeffery:18, Travis:18, Jeff:18, Chad:18, Jacob:18,
Lee:18, Melvin:17, Alfred:17, Kyle:17, Francis:17, Bradley:17, Jesus:17, Herbert:17, Frederick:17,
Ray:17, Joel:17, Edwin:16, Don:16, Eddie:16, Ricky:16, Troy:16, Randall:16, Barry:16, Alexander:16,
Bernard:16, Mario:16, Leroy:15, Francisco:15, Marcus:15, Micheal:15, Theodore:15, Clifford:15,
Miguel:15, Oscar:15, Jay:15, Jim:15, Tom:15, Calvin:15, Alex:15, Jon:15, Ronnie:15, Bill:15, Liam:14,
Noah:14, Ethan:13, Mason:13, Logan:12, Lucas:12, Aiden:10, Elijah:12, Owen:10, Wyatt:8, Hunter:8,
Connor:8, Dylan:9, Tyler:10, Austin:9, Zachary:9, Nathaniel:8, Isaac:8, Gabriel:9, Julian:7, Diego:6,
Alejandro:7, Javier:7, Rafael:6, Sergio:6, Pedro:7, Andrés:4, José:8, Jesús:4, Ramón:3, Raúl:3, Luca:3,
Matteo:3, Giuseppe:3, Marco:4, François:3, Pierre:3, Jacques:2, André:4, René:3, Jürgen:2, Björn:2,
Søren:1, Lars:2, Sven:2, Stefan:3, Wolfgang:2, Hans:2, Dmitri:2, Sergei:2, Mikhail:2, Igor:2, Yuri:2,
Nikolai:2, Paweł:2, Tomasz:2, Krzysztof:2, Łukasz:2, Wojciech:1, Minh:4, Duc:3, Tuan:3, Thanh:3, Khanh:2,
Hoang:2, Wei:4, Jun:3, Hiroshi:2, Kenji:2, Min-jun:2, Ji-ho:2, Raj:4, Ravi:3, Arjun:3, Amit:3, Vikram:2,
Mohammed:6, Muhammad:5, Ahmed:5, Omar:5, Ali:5, Hassan:3, Tariq:2, Kwame:2, Chinedu:2, Oluwaseun:1,
Seamus:2, Padraig:1, Eoin:2, Oisín:1, Ciarán:1, Declan:2, Siddharth:1, Chidi:1, Ángel:3, Nicolás:3
`);

export const FEMALE_GIVEN: Weighted = w(`
Mary:263, Patricia:107, Linda:104, Barbara:98, Elizabeth:94, Jennifer:93, Maria:83, Susan:79,
Margaret:77, Dorothy:73, Lisa:70, Nancy:67, Karen:67, Betty:67, Helen:66, Sandra:63, Donna:58, Carol:57,
Ruth:56, Sharon:52, Michelle:52, Laura:51, Sarah:51, Kimberly:50, Deborah:49, Jessica:49, Shirley:48,
Cynthia:47, Angela:47, Melissa:46, Brenda:46, Amy:45, Anna:44, Rebecca:43, Virginia:43, Kathleen:42,
Pamela:42, Martha:41, Debra:41, Amanda:40, Stephanie:40, Carolyn:38, Christine:38, Marie:38, Janet:37,
Catherine:37, Frances:36, Ann:36, Joyce:36, Diane:36, Alice:36, Julie:35, Heather:34, Teresa:34,
Doris:34, Gloria:34, Evelyn:32, Jean:32, Cheryl:31, Mildred:31, Katherine:31, Joan:31, Ashley:30,
Judith:30, Rose:30, Janice:29, Kelly:29, Nicole:28, Judy:28, Christina:28, Kathy:28, Theresa:27,
Beverly:27, Denise:27, Tammy:27, Irene:27, Jane:26, Lori:26, Rachel:26, Marilyn:26, Andrea:26,
Kathryn:25, Louise:25, Sara:25, Anne:25, Jacqueline:25, Wanda:25, Bonnie:25, Julia:24, Ruby:24, Lois:24,
Tina:24, Phyllis:24, Norma:24, Paula:24, Diana:24, Annie:23, Lillian:23, Emily:22, Robin:22, Peggy:22,
Crystal:22, Gladys:22, Rita:22, Dawn:22, Connie:21, Florence:21, Tracy:21, Edna:21, Tiffany:21,
Carmen:21, Rosa:21, Cindy:21, Grace:20, Wendy:20, Victoria:20, Edith:20, Kim:20, Sherry:20, Sylvia:20,
Josephine:20, Thelma:20, Shannon:20, Sheila:20, Ethel:19, Ellen:19, Elaine:19, Marjorie:19, Carrie:19,
Charlotte:19, Monica:19, Esther:19, Pauline:19, Emma:18, Juanita:18, Anita:18, Rhonda:18, Hazel:18,
Amber:18, Eva:18, Debbie:18, April:17, Leslie:17, Clara:17, Lucille:17, Jamie:17, Joanne:17,
Eleanor:17, Valerie:17, Danielle:17, Megan:17, Alicia:17, Suzanne:17, Michele:17, Gail:17, Bertha:16,
Darlene:16, Veronica:16, Jill:16, Erin:16, Geraldine:16, Lauren:16, Cathy:16, Joann:16, Lorraine:16,
Lynn:16, Sally:16, Regina:16, Erica:16, Beatrice:16, Dolores:16, Bernice:16, Audrey:15, Yvonne:15,
Annette:15, June:15, Samantha:15, Roberta:15, Olivia:14, Sophia:13, Isabella:13, Ava:12, Mia:12,
Abigail:12, Madison:11, Chloe:10, Ella:10, Avery:9, Harper:8, Zoe:7, Zoë:3, Chloé:3, Renée:5, Noémie:2,
Hélène:2, Amélie:2, Mariana:5, Daniela:6, Gabriela:6, Valentina:5, Camila:5, Lucía:4, Sofía:5, Ximena:2,
Guadalupe:4, María:6, Inés:2, Beatriz:3, Giulia:3, Chiara:3, Francesca:3, Ingrid:2, Astrid:2, Sigrid:1,
Ingeborg:1, Małgorzata:2, Agnieszka:2, Katarzyna:2, Zuzanna:1, Olga:3, Svetlana:2, Irina:2,
Tatiana:2, Ekaterina:2, Yulia:2, Linh:4, Lan:3, Huong:2, Thuy:2, Ngoc:2, Mai:3, Xiu:2, Mei:3, Yuki:2,
Sakura:1, Ji-woo:2, Seo-yeon:2, Priya:4, Ananya:3, Deepika:2, Lakshmi:2, Fatima:5, Aisha:5, Layla:4,
Zainab:2, Amara:2, Ngozi:1, Chiamaka:1, Siobhán:2, Aoife:2, Niamh:2, Saoirse:1, Caoimhe:1, Zoey:4
`);

/** US 2010 census surnames, per 100,000 people, with accented forms split off at realistic rates. */
export const SURNAME_HEAD: Weighted = w(`
Smith:828, Johnson:655, Williams:550, Brown:490, Jones:482, Garcia:260, García:134, Miller:393,
Davis:382, Rodriguez:250, Rodríguez:120, Martinez:240, Martínez:119, Hernandez:235, Hernández:116,
Lopez:200, López:97, Gonzalez:195, González:96, Wilson:275, Anderson:273, Thomas:264, Taylor:259,
Moore:250, Jackson:248, Martin:238, Lee:233, Perez:150, Pérez:79, Thompson:225, White:222, Harris:212,
Sanchez:140, Sánchez:68, Clark:192, Ramirez:130, Ramírez:61, Lewis:183, Robinson:182, Walker:179,
Young:167, Allen:166, King:164, Wright:163, Scott:156, Torres:153, Nguyen:100, Nguyễn:45, Hill:145,
Flores:144, Green:144, Adams:143, Nelson:142, Baker:141, Hall:137, Rivera:135, Campbell:132,
Mitchell:131, Carter:130, Roberts:129, Gomez:90, Gómez:37, Phillips:119, Evans:118, Turner:117,
Diaz:80, Díaz:37, Parker:113, Cruz:112, Edwards:110, Collins:110, Reyes:109, Stewart:108, Morris:105,
Morales:104, Murphy:103, Cook:102, Rogers:101, Gutierrez:70, Gutiérrez:30, Ortiz:98, Morgan:98,
Cooper:97, Peterson:97, Bailey:96, Reed:95, Kelly:94, Howard:94, Ramos:93, Kim:93, Cox:92, Ward:91,
Richardson:91, Watson:89, Brooks:88, Chavez:60, Chávez:27, Wood:87, James:87, Bennett:86, Gray:86,
Mendoza:86, Ruiz:85, Hughes:84, Price:84, Alvarez:55, Álvarez:29, Castillo:83, Sanders:83, Patel:82,
Myers:82, Long:81, Ross:81, Foster:80, Jimenez:50, Jiménez:28, Powell:77, Jenkins:77, Perry:76,
Russell:76, Sullivan:75, Bell:75, Coleman:74, Butler:74, Henderson:74, Barnes:74, Gonzales:73,
Fisher:72, Vasquez:71, Simmons:71, Romero:70, Jordan:69, Patterson:68, Alexander:68, Hamilton:68,
Graham:68, Reynolds:67, Griffin:67, Wallace:66, Moreno:66, West:66, Cole:65, Hayes:65, Bryant:65,
Herrera:64, Gibson:64, Ellis:63, Tran:63, Trần:20, Medina:63, Aguilar:62, Stevens:62, Murray:62,
Ford:61, Castro:61, Marshall:61, Owens:61, Harrison:60, Fernandez:40, Fernández:20, McDonald:60,
Woods:60, Washington:59, Kennedy:59, Wells:58, Vargas:58, Henry:58, Chen:58, Freeman:57, Webb:57,
Tucker:57, Guzman:56, Burns:56, Crawford:56, Olson:55, Simpson:55, Porter:55, Hunter:55, Gordon:55,
Mendez:55, Silva:55, Shaw:55, Snyder:55, Mason:54, Dixon:54, Muñoz:54, Hunt:54, Hicks:53, Holmes:53,
Palmer:53, Wagner:53, Black:53, Robertson:53, Boyd:52, Rose:52, Stone:52, Salazar:52, Fox:52, Warren:52,
Mills:51, Meyer:51, Rice:51, Schmidt:51, Garza:51, Daniels:51, Ferguson:50, Nichols:50, Stephens:50,
Soto:50, Weaver:50, Ryan:50, Gardner:50, Payne:50, Grant:50, Dunn:50, Kelley:49, Spencer:49, Hawkins:49,
Arnold:49, Pierce:49, Vazquez:49, Hansen:49, Peters:48, Santos:48, Hart:48, Bradley:48, Knight:48,
Elliott:48, Cunningham:48, Duncan:48, Armstrong:48, Hudson:48, Carroll:47, Lane:47, Riley:47,
Andrews:47, Alvarado:47, Ray:47, Delgado:47, Berry:47, Perkins:47, Hoffman:47, Johnston:47,
Matthews:46, Peña:46, Richards:46, Contreras:46, Willis:46, Carpenter:46, Lawrence:46, Sandoval:46,
Wang:45, Li:45, Zhang:40, Liu:35, Yang:30, Huang:28, Zhao:20, Wu:25, Zhou:20, Xu:15, Lin:25,
Park:35, Choi:20, Jung:15, Kang:12, Cho:12, Yoon:10, Shah:30, Singh:40, Kumar:30, Sharma:20, Gupta:15,
Reddy:12, Rao:10, Iyer:5, Phạm:15, Pham:25, Lê:20, Le:30, Hoàng:10, Hoang:15, Huỳnh:8, Phan:12, Vũ:8,
Võ:8, Đặng:6, Bùi:6, Đỗ:6, Hồ:6, Ngô:5, Dương:5, Lý:4, Müller:8, Mueller:10, Schröder:4, Schneider:12,
Fischer:10, Weber:12, Becker:10, Schäfer:3, Koch:10, Wolf:12, Bauer:10, Łukasiewicz:2, Kowalski:12,
Nowak:10, Wiśniewski:4, Wójcik:3, Kowalczyk:4, Kamiński:3, Lewandowski:5, Zieliński:3, Szymański:3,
Woźniak:3, Dąbrowski:2, Jankowski:4, O'Brien:25, O'Connor:20, O'Neill:15, O'Sullivan:8, O'Donnell:8,
O'Reilly:6, D'Angelo:5, D'Amico:4, MacDonald:10, McCarthy:20, McLaughlin:10, McKenzie:8, Ó Súilleabháin:1,
Rossi:8, Russo:10, Ferrari:5, Esposito:6, Bianchi:4, Romano:8, Colombo:4, Ricci:5, Bruno:7, Greco:5,
Dubois:4, Lefèvre:2, Lefebvre:3, Moreau:3, Girard:4, Bélanger:2, Côté:3, Gagnon:5, Tremblay:6,
Andersen:8, Nielsen:8, Sørensen:3, Jensen:12, Larsen:8, Johansson:5, Lindström:2, Åberg:1, Ivanov:6,
Smirnov:3, Petrov:4, Popov:3, Kuznetsov:3, Volkov:2, Sokolov:2, Yilmaz:3, Öztürk:2, Çelik:2, Okafor:3,
Okonkwo:2, Adeyemi:2, Mensah:2, Haddad:3, Khalil:3, Nasser:2, Hussain:6, Khan:20, Ahmed:15, Ali:15,
Cohen:15, Levy:8, Friedman:8, Goldberg:6, Katz:6, Tanaka:3, Suzuki:3, Sato:3, Watanabe:2, Yamamoto:3
`);

/** Multi-word surnames (particles), written as families write them. */
export const MULTI_WORD_SURNAMES: Weighted = w(`
de la Cruz:30, De La Cruz:10, Van der Berg:8, van der Berg:4, De Luca:8, Van Buren:5, del Rosario:8,
Del Rosario:4, da Silva:10, Da Silva:5, dos Santos:8, De Jesus:10, de Jesús:5, De Leon:10, de León:4,
Van Dyke:5, Vander Wal:2, St. John:4, St. Clair:3, Le Blanc:4, La Rosa:4, Di Giorgio:3, Mac Giolla:1,
de los Santos:4, Von Braun:1, ten Brink:1, Abu Bakr:2, El Amin:2, Al Rashid:2
`);

/** Surnames that are commonly joined in a hyphenated (double) surname. */
export const HYPHEN_PARTS: readonly string[] = [
  'Garcia',
  'García',
  'Lopez',
  'López',
  'Martinez',
  'Rodriguez',
  'Hernandez',
  'Gonzalez',
  'Perez',
  'Sanchez',
  'Ramirez',
  'Torres',
  'Flores',
  'Rivera',
  'Gomez',
  'Diaz',
  'Reyes',
  'Cruz',
  'Morales',
  'Ortiz',
  'Ramos',
  'Castillo',
  'Vargas',
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Davis',
  'Miller',
  'Wilson',
  'Moore',
  'Clark',
  'Lewis',
  'Walker',
  'Hall',
  'Young',
  'King',
  'Wright',
  'Scott',
  'Green',
  'Baker',
  'Adams',
  'Nelson',
  'Hill',
  'Campbell',
  'Mitchell',
  'Roberts',
  'Carter',
  'Phillips',
  'Evans',
  'Turner',
  'Parker',
  'Collins',
  'Edwards',
  'Stewart',
  'Morris',
  'Murphy',
  'Cook',
  'Rogers',
  'Müller',
  'Schmidt',
  'Nowak',
  'Kowalski',
  'Nguyen',
  'Tran',
  'Chen',
  'Kim',
  'Patel',
  'Khan',
  "O'Brien",
];

/** Roots and endings by origin for the synthetic surname tail. */
export const TAIL_ORIGINS: ReadonlyArray<{ roots: readonly string[]; endings: readonly string[] }> = [
  {
    // English / Scottish
    roots:
      'Ash Brad Brook Bur Cald Crom Dal Dun Fair Hal Hart Hather Holt Kings Lang Lock Mar Mid Mor New Pem Ral Red Rush Sel Sher Stan Stock Thorn Wal Wes Whit Win Wood Al Bram Carl Dray Elling Fen'.split(
        ' ',
      ),
    endings: 'ley ton ford well wood field worth by ham more stead wick ridge shaw bury cott land'.split(' '),
  },
  {
    // German / Dutch
    roots:
      'Acker Bach Baum Berg Brand Eck Eisen Engel Feld Fried Gross Hart Hoch Kessel Klein Kranz Lang Lieb Lind Ober Reich Rosen Schön Stein Stern Weiss Wald Wein Zimmer Haber Kauf Holz Mittel Oster Sommer Winter Blum Roth'.split(
        ' ',
      ),
    endings: 'mann berg stein feld haus er hardt bauer hofer meyer acker ling dorf wald brink'.split(' '),
  },
  {
    // Polish / Slavic
    roots:
      'Kow Now Wiś Wój Kam Lew Zieli Szym Woź Dąbr Koz Jank Mazur Kwiat Krawcz Piotr Grab Pawl Michal Zaj Król Wiecz Jabł Wróbl Maj Olsz Jaw Malin Stęp Górs Rut Sob Czarn Kub Adam Bar Bor'.split(
        ' ',
      ),
    endings: 'ski ska icz owicz ewicz czyk ak iak ek enko ovich ov in uk'.split(' '),
  },
  {
    // Italian
    roots:
      'Bell Bern Cap Carb Cas Cont Fer Gall Gior Lomb Lor Mar Mart Mor Pac Pell Ross Sant Serr Tor Val Vent Vit Zan Cant Fior Genn Lucc Mazz Pol Ric Sorr Tass'.split(
        ' ',
      ),
    endings: 'elli ini etti one ino ucci ardi ato ese iano otti ello aro'.split(' '),
  },
  {
    // Spanish / Portuguese
    roots:
      'Alv Ben Bern Carr Dom Enr Esc Fern Gal Gonz Hern Ib Jim Lor Marqu Mend Nav Ord Pal Quint Rodr Sal Suár Tell Val Vel Yáñ Zam Arr Bal Cerv Ech Fuent Guerr'.split(
        ' ',
      ),
    endings: 'ez es eda ero ado ales ano uela era illo ino ón'.split(' '),
  },
  {
    // Irish / Scandinavian
    roots:
      'Brenn Callag Donov Fitzger Gallag Kenn Lyn Mull Quinl Shaug Sween Berg Dahl Eng Fors Gran Holm Lund Nord Sand Sund Strand Vik Lind Ny Ek Bjork Hag'.split(
        ' ',
      ),
    endings: 'an on ahan ey ström sen son qvist gren lund berg by dal'.split(' '),
  },
];

/**
 * Twin first names: different people by SPEC 4.3 (two different known given names, not nicknames of each
 * other), some of them one letter apart. Each pair is [name of twin A, gender A, name of twin B, gender B].
 */
export const TWIN_PAIRS: ReadonlyArray<readonly [string, 'Male' | 'Female', string, 'Male' | 'Female']> = [
  ['Robert', 'Male', 'Roberta', 'Female'],
  ['Daniel', 'Male', 'Daniela', 'Female'],
  ['Paul', 'Male', 'Paula', 'Female'],
  ['Eric', 'Male', 'Erica', 'Female'],
  ['Jon', 'Male', 'Joan', 'Female'],
  ['Julian', 'Male', 'Juliana', 'Female'],
  ['Christian', 'Male', 'Christina', 'Female'],
  ['Gabriel', 'Male', 'Gabriela', 'Female'],
  ['Mason', 'Male', 'Jason', 'Male'],
  ['Ethan', 'Male', 'Evan', 'Male'],
  ['Aaron', 'Male', 'Adam', 'Male'],
  ['Ava', 'Female', 'Eva', 'Female'],
  ['Chloe', 'Female', 'Zoe', 'Female'],
  ['Mia', 'Female', 'Maria', 'Female'],
  ['Sara', 'Female', 'Laura', 'Female'],
];

export const EMAIL_DOMAINS: Weighted = w(`
gmail.com:45, yahoo.com:14, hotmail.com:8, outlook.com:7, icloud.com:7, aol.com:4, comcast.net:3,
msn.com:2, live.com:2, att.net:2, verizon.net:1, protonmail.com:1, me.com:2
`);
