"""The eleven activity guides in Spanish: every `_es` column of the guides installed by
0002, and of their steps, next to the English of that migration.

Guides are found by slug and steps by (format, position), so a guide or a step an
operator has deleted since is skipped. The voice is the portal's: neutral Latin-American
Spanish, "usted" for the reader and "ustedes" for the group, and the glossary of issue 18
(sesión, breve / a fondo, biblioteca, publicación, asociación de vecinos for block club).
Going back sets the Spanish columns to NULL again: pages then show the English.
"""

from django.db import migrations

BRIEF = "brief"
IN_DEPTH = "in-depth"

PATTERN_FIELDS = (
    "name",
    "purpose",
    "invitation",
    "when_to_use",
    "online_and_in_room",
    "group_size",
    "materials",
    "tips_and_traps",
    "example_prompts",
    "post_template",
)

GUIDES = {
    "problem-solving": {
        "name": "Resolver problemas",
        "purpose": "Traiga una situación en la que no sabe cómo avanzar y llévese dos o tres "
        "pasos concretos para probar antes de la próxima sesión.",
        "invitation": "¿Qué le está costando resolver ahora mismo, y qué ha intentado ya?",
        "when_to_use": (
            "Cuando alguien llega con un problema de verdad: un dueño que no devuelve las "
            "llamadas, una asociación de vecinos con menos gente en cada reunión, un informe "
            "para una subvención que vence la próxima semana y ninguna cifra para ponerle. "
            "Funciona mejor cuando el problema es real, actual y de alguien que está presente, "
            "no un “¿y si…?”. Si nadie trae uno, pregunte al comienzo de la sesión: casi "
            "siempre hay alguno."
        ),
        "online_and_in_room": (
            "En el salón, siéntense en círculo para que la persona con el problema vea a "
            "todos, y escriban las ideas en un rotafolio donde pueda ver crecer la lista.\n\n"
            "En línea, escriban el problema en una oración en el chat para que quienes lleguen "
            "tarde puedan seguir la conversación, pidan levantar la mano para hablar, y dejen "
            "que quien trae el problema apague su cámara mientras el grupo lo conversa.\n\n"
            "En una sesión híbrida, pidan a una persona del salón que esté pendiente de la "
            "pantalla y que, en cada ronda, dé primero la palabra a quienes están en línea."
        ),
        "group_size": "De 3 a 12. Si son más, divídanse en grupos de 4 a 6, cada uno con su "
        "propio problema.",
        "materials": (
            "Un rotafolio o un documento compartido, marcadores, un cronómetro y el formulario "
            "de preguntas de la biblioteca para dejarlo por escrito después."
        ),
        "tips_and_traps": (
            "- **Un problema, una persona.** Quien lo trae decide qué intentar. El grupo "
            "ofrece ideas; no reparte tareas.\n"
            "- **Preguntas antes que consejos.** La solución que se nos ocurre primero muchas "
            "veces es para otro problema.\n"
            "- **Cuidado con los consejos disfrazados de pregunta.** “¿Ha pensado en llamar a "
            "su concejal?” es un consejo. Puede esperar a la ronda de ideas.\n"
            "- **Los pasos pequeños valen más que los grandes planes.** “Tocar tres puertas el "
            "jueves” ayuda más que “reconstruir la base de miembros”.\n"
            "- **Trampa: resolver el problema que el grupo preferiría tener.** Pregúntele a "
            "quien lo trajo: “¿Sigue siendo este su problema?”\n"
            "- **Déjelo por escrito.** Publique la pregunta y, más adelante, lo que funcionó. "
            "La próxima persona atascada en lo mismo lo va a encontrar."
        ),
        "example_prompts": (
            "Las reuniones de nuestra asociación de vecinos bajaron de quince personas a "
            "cuatro. ¿Qué intentarían ustedes antes de la próxima?\n"
            "Un dueño de nuestra calle no hace caso de las infracciones del código de vivienda "
            "y los inquilinos tienen miedo de quejarse. ¿Por dónde empezamos?\n"
            "Nos ganamos una subvención pequeña, pero nadie quiere ser tesorero. ¿Cómo han "
            "manejado ustedes la parte del dinero?\n"
            "La mitad de la gente que se anota para nuestras limpiezas no llega. ¿Qué les ha "
            "funcionado a ustedes?"
        ),
        "post_template": (
            "## La situación\n\n"
            "Qué está pasando, dónde y quiénes están involucrados.\n\n"
            "## Lo que hemos intentado\n\n"
            "Qué hicieron y qué pasó.\n\n"
            "## Cómo se vería “mejor”\n\n"
            "Cómo sabrían que el problema se resolvió, o al menos que es más pequeño.\n\n"
            "## Lo que pido\n\n"
            "¿Ideas, un contacto, alguien que ya haya pasado por esto?\n"
        ),
        "steps": {
            (BRIEF, 1): "Una persona describe la situación en tres o cuatro minutos: qué está "
            "pasando, quiénes están involucrados, qué ha intentado. Los demás solo escuchan.",
            (BRIEF, 2): "Solo preguntas para aclarar, todavía sin consejos. La persona con el "
            "problema puede decir “paso” ante cualquier pregunta.",
            (BRIEF, 3): "Ronda de ideas: cada persona ofrece una cosa que intentaría. La "
            "persona con el problema las anota sin comentar.",
            (BRIEF, 4): "La persona con el problema dice qué dos o tres ideas va a probar "
            "primero, y por qué.",
            (BRIEF, 5): "Alguien se ofrece a preguntarle cómo le va antes de la próxima "
            "sesión. Anoten la pregunta y los pasos elegidos para la biblioteca.",
            (IN_DEPTH, 1): "En parejas, cada persona cuenta algo que no logra resolver. El "
            "grupo elige uno o dos para trabajar, si quienes los trajeron están de acuerdo.",
            (IN_DEPTH, 2): "Quien trae el problema cuenta la historia: qué pasa, quiénes están "
            "involucrados, qué ha intentado y cómo se vería “mejor”.",
            (IN_DEPTH, 3): "Solo preguntas para aclarar. Pregunten lo que ayude a quien trae "
            "el problema a verlo con más claridad; guarden los consejos para después.",
            (IN_DEPTH, 4): "Quien trae el problema le da la espalda al grupo (o apaga su "
            "cámara) y escucha mientras los demás conversan sobre el problema como si no "
            "estuviera presente.",
            (IN_DEPTH, 5): "Ronda de ideas: opciones, personas a quienes llamar, cosas que "
            "funcionaron en otros lugares. Una persona las anota todas en el rotafolio.",
            (IN_DEPTH, 6): "Quien trae el problema vuelve, dice qué le llamó la atención y "
            "elige los próximos pasos, con una fecha para el primero.",
            (IN_DEPTH, 7): "Si hay tiempo, una ronda más corta sobre el segundo problema; si "
            "no, abran la conversación: ¿quién más reconoce este problema?",
            (IN_DEPTH, 8): "Acuerden quién le pregunta después a esa persona cómo le va, y "
            "quién publica la pregunta (y más adelante la respuesta) en la biblioteca.",
        },
    },
    "requests-for-information": {
        "name": "Pedir información",
        "purpose": "Pregunte dónde encontrar algo o a quién llamar, y reciba una pista de "
        "alguien que sabe.",
        "invitation": "¿Qué necesita averiguar, y a quién le ha preguntado ya?",
        "when_to_use": (
            "Cuando alguien necesita un dato, un formulario, un contacto o saber “¿quién se "
            "encarga de esto?”: qué oficina da los permisos para una fiesta de cuadra, si un "
            "financiador acepta grupos que no son organizaciones sin fines de lucro, quién en "
            "el banco de tierras del condado responde preguntas sobre los lotes vacíos junto a "
            "una casa. Una pregunta rápida cabe al principio o al final de cualquier sesión; "
            "una ronda completa da para una buena sesión breve cuando muchas personas tienen "
            "preguntas pequeñas."
        ),
        "online_and_in_room": (
            "En el salón, unas fichas y una mesa donde clasificarlas mantienen el ritmo.\n\n"
            "En línea, reúnan las preguntas en el chat y pidan a una persona que pegue cada "
            "respuesta, con su enlace, en un documento compartido a medida que llegan. Los "
            "enlaces se comparten mejor en línea que en el salón.\n\n"
            "En una sesión híbrida, lean en voz alta las preguntas de quienes están en línea "
            "para que el salón también las escuche."
        ),
        "group_size": "Cualquier tamaño. Con más de 15, repartan los montones entre grupos "
        "pequeños y luego compartan.",
        "materials": (
            "Fichas o notas adhesivas, bolígrafos y un documento compartido para enlaces y "
            "números de teléfono."
        ),
        "tips_and_traps": (
            "- **Diga por qué pregunta.** “¿Dónde saco un permiso?” tiene una respuesta para "
            "una fiesta de cuadra y otra para un mural.\n"
            "- **Un nombre vale más que una página web.** “Pregunte por el especialista en "
            "vivienda de la oficina del concejal” ahorra una semana de llamadas sin respuesta. "
            "Confirme que a esas personas no les molesta que las nombren.\n"
            "- **Diga cuando tenga dudas.** Una respuesta equivocada dicha con seguridad sobre "
            "una fecha límite hace daño; “creo que sí, pero confírmelo” está bien.\n"
            "- **Anote cuándo era cierta la respuesta.** Las reglas, los formularios y los "
            "contactos cambian.\n"
            "- **Trampa: respuestas que se quedan en el salón.** Publique la pregunta y marque "
            "la respuesta, para que la próxima persona la encuentre en la biblioteca."
        ),
        "example_prompts": (
            "¿Qué oficina de la ciudad se encarga de cerrar una calle para una fiesta de "
            "cuadra, y con cuánta anticipación hay que pedirlo?\n"
            "¿Alguien conoce un financiador que dé subvenciones pequeñas a grupos que no son "
            "organizaciones sin fines de lucro?\n"
            "¿Cómo averiguamos quién es el dueño de la casa vacía de nuestra calle?\n"
            "¿Dónde nos pueden prestar gratis mesas plegables y un equipo de sonido?\n"
            "¿Alguien conoce a un intérprete que haya trabajado en reuniones de residentes?"
        ),
        "post_template": (
            "## Lo que necesito averiguar\n\n"
            "Una o dos oraciones.\n\n"
            "## Para qué lo necesito\n\n"
            "Para qué es: la razón ayuda a que le den la respuesta correcta.\n\n"
            "## Lo que ya sé o intenté\n\n"
            "A quién le preguntó, dónde buscó.\n\n"
            "## Para cuándo\n\n"
            "¿Hay una fecha límite?\n"
        ),
        "steps": {
            (BRIEF, 1): "Cada persona escribe una cosa que necesita averiguar, en una tarjeta "
            "o en el chat: un dato, un formulario, un contacto.",
            (BRIEF, 2): "Lean las preguntas en voz alta. Junten las que se parecen.",
            (BRIEF, 3): "Repásenlas una por una. Quien sabe, lo dice; quien conoce a alguien "
            "que sabe, también lo dice. Respuestas cortas.",
            (BRIEF, 4): "Para las preguntas que nadie pudo responder, una persona se encarga "
            "de cada una y pregunta por ahí antes de la próxima sesión.",
            (BRIEF, 5): "Quien preguntó publica la pregunta en la biblioteca y marca la "
            "respuesta cuando llegue.",
            (IN_DEPTH, 1): "Cada persona escribe sus preguntas en tarjetas, una por tarjeta, "
            "y dice por qué necesita saberlo: la razón muchas veces cambia la respuesta.",
            (IN_DEPTH, 2): "Clasifiquen las tarjetas en montones sobre una mesa o un tablero "
            "compartido: ciudad y condado, dinero, personas y aliados, cómo se hace.",
            (IN_DEPTH, 3): "Trabajen cada montón. Respondan lo que puedan, digan quién podría "
            "responder el resto y anoten enlaces y números de teléfono en la tarjeta.",
            (IN_DEPTH, 4): "Elijan las dos o tres preguntas que comparten muchas personas y "
            "profundicen: ¿qué sabe cada uno de nosotros, dónde está la trampa, qué nos "
            "hubiera gustado saber antes?",
            (IN_DEPTH, 5): "Conviertan las tarjetas sin respuesta en publicaciones de la "
            "biblioteca, cada una con alguien que va a preguntar por ahí.",
            (IN_DEPTH, 6): "Acuerden volver a las preguntas abiertas en la próxima sesión.",
        },
    },
    "seeking-experience": {
        "name": "Buscar experiencia",
        "purpose": "Encuentre a alguien que ya pasó por lo que usted está enfrentando y "
        "escuche cómo le fue, antes de empezar.",
        "invitation": "¿Qué está por hacer por primera vez, y quién aquí ha hecho algo parecido?",
        "when_to_use": (
            "Antes de una primera vez: su primera reunión con una empresa constructora, su "
            "primera solicitud de fondos de la ciudad, su primera elección de la directiva de "
            "la asociación de vecinos, su primera feria de recursos. A diferencia de Resolver "
            "problemas, aquí nadie está atascado todavía. Usted quiere escuchar a alguien que "
            "ya recorrió el camino antes de ponerse en marcha."
        ),
        "online_and_in_room": (
            "En el salón, los grupos pequeños pueden repartirse por las esquinas; una historia "
            "contada cara a cara saca los detalles sinceros.\n\n"
            "En línea, usen salas para grupos pequeños de dos o tres personas, y digan con "
            "claridad cuándo volver. La persona con experiencia puede compartir su pantalla si "
            "guardó algún documento de su propia primera vez.\n\n"
            "En una sesión híbrida, mantengan juntas en una misma sala a las personas en "
            "línea, en vez de dividir un grupo entre el salón y una computadora portátil."
        ),
        "group_size": "De 4 a 20, conversando en grupos de 2 a 4.",
        "materials": (
            "Papel para notas, salas para grupos pequeños si es en línea, y una forma de "
            "anotar quién tiene experiencia en qué (con su acuerdo)."
        ),
        "tips_and_traps": (
            "- **Pida la historia, no la lección.** “Cuénteme cómo fue la noche de la "
            "reunión” saca detalles que un resumen pierde.\n"
            "- **Lo que salió mal es la mejor parte.** Agradezca a quien lo comparte; marca "
            "el tono para todos.\n"
            "- **La experiencia no es solo profesional.** Una vecina que pasó por una "
            "audiencia de zonificación sabe cosas que quizá el personal no sabe.\n"
            "- **Trampa: una historia se vuelve la regla.** Lo que le pasó a una persona con "
            "un financiador o con una oficina es una sola experiencia. Pregunte si a alguien "
            "le fue distinto.\n"
            "- **Dé seguimiento.** Muchas veces el mejor resultado es un café entre dos "
            "personas después de la sesión."
        ),
        "example_prompts": (
            "Nos vamos a reunir con una empresa que quiere construir en nuestra calle. ¿Quién "
            "ha estado en una reunión así?\n"
            "¿Alguien ha organizado la elección de la directiva de una asociación de vecinos? "
            "¿Cómo hicieron para que fuera justa y en buen ambiente?\n"
            "¿Quién ha fundado una asociación de inquilinos? ¿Cómo fue la primera reunión?\n"
            "Queremos convertir un lote vacío en un huerto. ¿Quién lo ha hecho, y qué haría "
            "distinto?"
        ),
        "post_template": "",
        "steps": {
            (BRIEF, 1): "Una o dos personas cuentan, cada una, algo que están por hacer por "
            "primera vez.",
            (BRIEF, 2): "A mano alzada: ¿quién ha hecho algo parecido? Elijan una o dos "
            "personas con experiencia para cada caso.",
            (BRIEF, 3): "Ellas cuentan cómo les fue: qué esperaban, qué pasó en realidad, qué "
            "harían distinto. Quien pregunta sigue con sus propias preguntas.",
            (BRIEF, 4): "Quien preguntó dice qué se lleva, y si le gustaría conversar más con "
            "alguien.",
            (BRIEF, 5): "Intercambien datos de contacto si las dos partes quieren, y anoten la "
            "pregunta en la biblioteca.",
            (IN_DEPTH, 1): "Cada persona escribe una “primera vez” que tiene por delante en "
            "su trabajo. Léanlas en voz alta.",
            (IN_DEPTH, 2): "Para cada una, quienes tienen experiencia levantan la mano. Formen "
            "grupos pequeños alrededor de las primeras veces que encontraron a alguien.",
            (IN_DEPTH, 3): "En grupos pequeños, la persona con experiencia cuenta la historia "
            "de principio a fin. Luego quien pregunta la entrevista: ¿qué le sorprendió, quién "
            "le ayudó, qué se saltaría, qué no se saltaría nunca?",
            (IN_DEPTH, 4): "Cambien: quien pregunta describe su plan y la persona con "
            "experiencia le dice qué le parece.",
            (IN_DEPTH, 5): "De nuevo todos juntos, cada persona que preguntó comparte algo en "
            "lo que no había pensado.",
            (IN_DEPTH, 6): "Con su permiso, anoten quién tiene experiencia en qué, para que "
            "otros puedan encontrar a esas personas más adelante.",
        },
    },
    "reusing-assets": {
        "name": "Reutilizar recursos",
        "purpose": "Comparta los volantes, formularios, cartas y planes que funcionaron, para "
        "que nadie empiece desde cero.",
        "invitation": "¿Qué ha hecho usted que alguien aquí podría usar, y qué está por hacer "
        "desde cero?",
        "when_to_use": (
            "Cuando alguien está por hacer algo que otros ya hicieron: una hoja de asistencia, "
            "unos estatutos, un volante para una limpieza, una carta a un dueño, el "
            "presupuesto de una subvención, una encuesta. Conviene antes de las temporadas de "
            "mucho trabajo (las limpiezas de primavera, las fiestas de cuadra del verano, las "
            "colectas de regreso a clases) y cada vez que alguien dice “me pasé todo el fin "
            "de semana haciendo esto”."
        ),
        "online_and_in_room": (
            "En el salón, traigan copias impresas: la gente las marca con bolígrafo y se las "
            "lleva a casa.\n\n"
            "En línea, compartan pantalla y tengan la biblioteca abierta para que los enlaces "
            "queden en un solo lugar; pidan a la gente que publique mientras se acuerda.\n\n"
            "En una sesión híbrida, tomen fotos de las copias en papel y pónganlas en el chat "
            "para que quienes están en línea puedan verlas."
        ),
        "group_size": "De 3 a 20, en grupos de 3 o 4 para el paso de adaptar.",
        "materials": (
            "Copias impresas de los recursos, bolígrafos, notas adhesivas; en línea, el "
            "formulario de publicación de la biblioteca o una carpeta compartida."
        ),
        "tips_and_traps": (
            "- **Diga cómo se puede reutilizar.** “Úsenlo libremente” o “pregúntennos "
            "primero”: escríbalo en el campo de permiso.\n"
            "- **Quite los datos privados.** Los nombres, teléfonos y direcciones de los "
            "vecinos no van en una hoja de asistencia compartida.\n"
            "- **El lenguaje sencillo y las traducciones llegan lejos.** Un volante en inglés "
            "y en español (o en otro idioma que hablen sus vecinos) se reutiliza mucho más.\n"
            "- **Trampa: archivos que nadie explica.** Dos líneas sobre cuándo lo usó y cómo "
            "le fue convierten un archivo en algo útil.\n"
            "- **Marque “Lo reutilicé”.** Le dice a quien lo hizo que su trabajo sirvió, y a "
            "los demás, que el recurso ya se probó."
        ),
        "example_prompts": (
            "¿Quién tiene una hoja de asistencia que funcione con vecinos que no quieren dar "
            "su correo electrónico?\n"
            "Compartan un volante que de verdad haya traído gente a una reunión. ¿Por qué "
            "funcionó?\n"
            "¿Alguien tiene unos estatutos de asociación de vecinos tan sencillos que todos "
            "puedan leerlos?\n"
            "¿Quién tiene una carta para pedirle a un dueño que haga reparaciones?"
        ),
        "post_template": (
            "## Qué es\n\n"
            "Un volante, un formulario, una carta, un presupuesto...\n\n"
            "## Cómo lo usamos\n\n"
            "Cuándo, dónde, para quién y cómo resultó.\n\n"
            "## Qué cambiar antes de reutilizarlo\n\n"
            "Fechas, nombres, contactos, palabras que se ajusten a su barrio.\n\n"
            "## Permiso\n\n"
            "Cómo pueden usarlo otros, y si deben darle crédito.\n"
        ),
        "steps": {
            (BRIEF, 1): "Cada persona nombra algo que hizo y que funcionó, y algo que tiene "
            "que hacer pronto.",
            (BRIEF, 2): "Mostrar y contar: tres o cuatro personas enseñan su recurso, en papel "
            "o en pantalla, en dos minutos cada una: para qué sirve, cómo se usó, qué "
            "cambiarían.",
            (BRIEF, 3): "Emparejar: ¿a quién le serviría cuál? Cada persona dice qué tendría "
            "que cambiar: idioma, barrio, fechas.",
            (BRIEF, 4): "Acuerden quién publica qué en la biblioteca, con una nota sobre cómo "
            "pueden reutilizarlo otros.",
            (IN_DEPTH, 1): "Cada persona dice qué tiene y qué necesita. Alguien lo anota en "
            "dos hojas: “tenemos” y “necesitamos”.",
            (IN_DEPTH, 2): "Tracen líneas entre las hojas: ¿dónde se encuentra una necesidad "
            "con algo que alguien ya tiene?",
            (IN_DEPTH, 3): "Grupos pequeños, uno por recurso: mírenlo juntos, escuchen cómo se "
            "usó y márquenlo para adaptarlo a otro barrio (redacción, traducción, contactos, "
            "facilidad de lectura).",
            (IN_DEPTH, 4): "Cada grupo muestra la versión adaptada y lo que le cambió.",
            (IN_DEPTH, 5): "Para las necesidades que nadie pudo cubrir, decidan si dos o tres "
            "personas van a hacer el recurso en conjunto y compartirlo.",
            (IN_DEPTH, 6): "Acuerden quién publica cada recurso en la biblioteca, con la nota "
            "de permiso completa.",
        },
    },
    "coordination-and-synergy": {
        "name": "Coordinación y sinergia",
        "purpose": "Alineen esfuerzos entre grupos y barrios, para hacer juntos lo que ninguno "
        "podría hacer por su cuenta.",
        "invitation": "¿Qué planea hacer en los próximos tres meses que quizá otra persona "
        "aquí también esté planeando?",
        "when_to_use": (
            "Cuando varios grupos hacen cosas parecidas al mismo tiempo: limpiezas de "
            "primavera, colectas de regreso a clases, testimonios en la misma audiencia del "
            "concejo municipal, la fecha límite del mismo financiador. También cuando una "
            "oportunidad es demasiado grande para un solo grupo: un pedido al por mayor de "
            "semillas o de pinzas para recoger basura, una mesa compartida en una feria de "
            "recursos, una carta conjunta en lugar de cinco."
        ),
        "online_and_in_room": (
            "En el salón, una línea de tiempo larga de papel en la pared permite recorrerla y "
            "juntarse frente a las coincidencias.\n\n"
            "En línea, usen un documento compartido con una fila por mes, y pidan a la gente "
            "que escriba sus planes antes de la sesión si puede.\n\n"
            "En una sesión híbrida, una persona del salón escribe lo que se va poniendo en la "
            "pared, para que las dos líneas de tiempo sean iguales."
        ),
        "group_size": "De 5 a 25, en grupos de 3 a 5 por coincidencia.",
        "materials": (
            "Una hoja larga de papel y marcadores, o un documento compartido; notas adhesivas "
            "de dos colores (necesidades y ofertas); el formulario de coordinación de la "
            "biblioteca."
        ),
        "tips_and_traps": (
            "- **Empiecen por lo que ya está planeado.** Sumarse a algo que ya va a pasar es "
            "mejor que inventar un proyecto nuevo.\n"
            "- **Pequeño y concreto.** “Dos limpiezas comparten un contenedor el mismo "
            "sábado” se hace; “colaboremos más” no.\n"
            "- **Respeten el nombre y el territorio de cada grupo.** Trabajar juntos no es "
            "fusionarse. Digan de quién es el evento.\n"
            "- **Trampa: entusiasmo en el salón, silencio después.** Cada propuesta sale con "
            "una persona de contacto y una fecha.\n"
            "- **Pongan una fecha límite para anotarse,** así quien organiza sabe cuándo "
            "hacer el pedido, reservar o escribir."
        ),
        "example_prompts": (
            "Tres asociaciones de vecinos están planeando limpiezas de primavera. ¿Podríamos "
            "compartir las herramientas y el contenedor?\n"
            "¿Quién va a ir a la audiencia del concejo sobre las inspecciones de viviendas de "
            "alquiler? ¿Podríamos hablar con una sola voz?\n"
            "Vamos a pedir semillas y plantitas para nuestro huerto. ¿Quién quiere sumarse a "
            "un pedido al por mayor?\n"
            "¿Quién está planeando un evento de regreso a clases en agosto? ¿Podríamos "
            "compartir una mesa de recursos?"
        ),
        "post_template": "",
        "steps": {
            (BRIEF, 1): "Cada persona nombra algo que su grupo tiene en el calendario para los "
            "próximos tres meses.",
            (BRIEF, 2): "Pónganlo todo en una línea de tiempo compartida, mes por mes: una "
            "hoja larga de papel o un documento compartido.",
            (BRIEF, 3): "Busquen coincidencias: la misma semana, el mismo público, la misma "
            "petición. Señalen dos o tres puntos donde trabajar juntos ayudaría.",
            (BRIEF, 4): "Para cada uno, ¿quién hace la primera llamada o manda el primer "
            "correo? Pongan una fecha.",
            (BRIEF, 5): "Publiquen cada idea en la biblioteca con una fecha límite para "
            "“Cuenten conmigo”.",
            (IN_DEPTH, 1): "Cada persona agrega a una línea de tiempo compartida los planes de "
            "su grupo para los próximos tres a seis meses.",
            (IN_DEPTH, 2): "Recorran juntos la línea de tiempo. Cada persona dice en qué "
            "necesita ayuda y qué podría ofrecer.",
            (IN_DEPTH, 3): "Marquen las coincidencias: fechas, barrios y objetivos en común.",
            (IN_DEPTH, 4): "Grupos pequeños, uno por coincidencia: ¿qué podríamos hacer juntos "
            "que no podemos hacer por separado? ¿Cuál es el primer paso más pequeño? ¿A quién "
            "más deberíamos invitar?",
            (IN_DEPTH, 5): "Cada grupo presenta una propuesta concreta.",
            (IN_DEPTH, 6): "Cada persona se anota en las propuestas en las que va a "
            "participar. Cada propuesta queda con una persona de contacto y una fecha.",
            (IN_DEPTH, 7): "Publiquen las propuestas en la biblioteca con una fecha límite "
            "para anotarse, para que puedan sumarse quienes no estuvieron.",
        },
    },
    "building-an-argument": {
        "name": "Construir un argumento",
        "purpose": "Reúna los datos y las historias que sostienen su caso ante un "
        "financiador, un concejal o un dueño.",
        "invitation": "¿A quién necesita convencer, de qué, y qué haría que le escuchen?",
        "when_to_use": (
            "Antes de una audiencia, una solicitud de subvención, una reunión con la "
            "administración de un edificio o con la oficina de un concejal: cada vez que la "
            "experiencia de un solo grupo no basta y la de muchos grupos juntos sí. También "
            "cuando alguien escucha una y otra vez “es solo una queja” y necesita mostrar que "
            "no lo es."
        ),
        "online_and_in_room": (
            "En el salón, la evidencia en notas adhesivas puede pasar de un montón a otro "
            "mientras la ordenan.\n\n"
            "En línea, reúnan enlaces, fotos y cifras en el chat o en un documento compartido "
            "a medida que llegan; se comparten más fácil en línea que en el salón.\n\n"
            "En una sesión híbrida, quien lleva la lista lee en voz alta los aportes de "
            "quienes están en línea, para que tengan el mismo peso."
        ),
        "group_size": "De 3 a 15.",
        "materials": (
            "Notas adhesivas de tres colores, un rotafolio o un documento compartido, y los "
            "informes, fotos o conteos que la gente pueda traer."
        ),
        "tips_and_traps": (
            "- **Primero conozca a su público.** A un concejal, a un financiador y a la "
            "administración de un edificio los mueven cosas distintas.\n"
            "- **Cifras e historias juntas.** El número de casas sin calefacción más el "
            "invierno de una familia pesan más que cualquiera de los dos por separado.\n"
            "- **Diga de dónde viene cada dato.** Una fuente y una fecha hacen que la "
            "evidencia sea difícil de descartar.\n"
            "- **Proteja a las personas.** No comparta la historia ni la dirección de un "
            "vecino sin su permiso, y menos la de un inquilino que teme represalias.\n"
            "- **Trampa: discutir entre ustedes en lugar de construir el argumento.** Si el "
            "grupo no está de acuerdo sobre qué pedir, esa es otra conversación."
        ),
        "example_prompts": (
            "Queremos que la ciudad tapie las casas vacías y les corte la hierba más rápido. "
            "¿Qué evidencia tenemos?\n"
            "Nuestro financiador quiere pruebas de que los jóvenes siguen viniendo al "
            "programa juvenil. ¿Qué cuenta como prueba?\n"
            "¿Cómo le mostramos al dueño que los problemas de calefacción no son la queja de "
            "un solo inquilino?\n"
            "¿Cómo defendemos la necesidad de un cruce peatonal junto a la escuela de nuestra "
            "calle?"
        ),
        "post_template": (
            "## A quién necesitamos convencer\n\n"
            "Una persona, una oficina, un financiador.\n\n"
            "## Qué estamos pidiendo\n\n"
            "Una oración.\n\n"
            "## Por qué les importa\n\n"
            "En sus términos: dinero, seguridad, votos, reputación.\n\n"
            "## Evidencia hasta ahora\n\n"
            "- Fuente, fecha, qué muestra\n\n"
            "## Qué falta\n\n"
            "¿Qué haría más fuerte el caso, y quién podría conseguirlo?\n"
        ),
        "steps": {
            (BRIEF, 1): "Quien trae el caso dice en una oración a quién necesita convencer y "
            "qué está pidiendo.",
            (BRIEF, 2): "Cada persona agrega la evidencia que conoce: cifras, informes, fotos, "
            "historias de su propia calle. Una persona lo anota todo.",
            (BRIEF, 3): "Ordénenla: ¿qué es sólido, qué es una suposición, qué falta? ¿Quién "
            "podría conseguir lo que falta?",
            (BRIEF, 4): "Armen el argumento en tres puntos que le importan al público, con la "
            "mejor evidencia debajo de cada uno.",
            (BRIEF, 5): "Publiquen el argumento en la biblioteca para que los miembros puedan "
            "agregar evidencia.",
            (IN_DEPTH, 1): "Planteen el caso: público, petición, fecha límite. Luego "
            "pregúntense: ¿qué le importa a este público? ¿El dinero, la seguridad, los votos, "
            "la reputación?",
            (IN_DEPTH, 2): "Reúnan evidencia en una ronda: cada persona agrega lo que sabe, "
            "incluidas historias de su propio barrio.",
            (IN_DEPTH, 3): "Ordénenla en tres montones: sólido (lo podemos demostrar), "
            "probable (hay que verificarlo), historia (cierta, pero de una sola persona).",
            (IN_DEPTH, 4): "En grupos pequeños, escriban el argumento de tres maneras: un "
            "minuto hablado, un párrafo corto para una carta o una solicitud, y una cifra o "
            "una imagen que lo resuma.",
            (IN_DEPTH, 5): "Pruébenlo: una persona hace de público y pone objeciones. Anoten "
            "la pregunta más difícil.",
            (IN_DEPTH, 6): "Acuerden quién busca la evidencia que falta, para cuándo, y quién "
            "publica el argumento en la biblioteca.",
        },
    },
    "growing-confidence": {
        "name": "Ganar confianza",
        "purpose": "Ensaye un plan, una propuesta o un discurso con colegas amables antes de "
        "presentarlo ante el público real.",
        "invitation": "¿Qué está por decir o hacer que le gustaría practicar primero?",
        "when_to_use": (
            "Antes de dar testimonio en el concejo municipal, presentar una propuesta a un "
            "financiador, dirigir su primera reunión, salir a tocar puertas con un guion, o "
            "tener una conversación difícil con un vecino o un aliado. También es así como los "
            "miembros más nuevos se convierten en líderes: escuchar de sus compañeros “eso fue "
            "claro y firme” hace más fácil el siguiente paso."
        ),
        "online_and_in_room": (
            "En el salón, póngase de pie si en el momento real va a estar de pie: cambia cómo "
            "salen las palabras.\n\n"
            "En línea, quien presenta puede compartir diapositivas o un guion. Reúnan los "
            "comentarios por escrito en el chat para que pueda guardarlos, y permitan que "
            "quienes escuchan apaguen sus cámaras si una pared de caras aumenta los nervios.\n\n"
            "En una sesión híbrida, asegúrense de que quien presenta mire a la cámara y también "
            "al salón."
        ),
        "group_size": "De 3 a 10. Si son más, divídanse en parejas o en grupos de tres.",
        "materials": (
            "Un cronómetro (en las audiencias suelen dar dos o tres minutos), una silla o un "
            "lugar para quien presenta, papel para comentarios por escrito."
        ),
        "tips_and_traps": (
            "- **Pregunte qué comentarios quiere recibir.** A veces es “¿se entiende?”, a "
            "veces “¿sueno enojado?”\n"
            "- **Primero lo positivo, después lo que hay que afinar.** Empiece siempre por lo que "
            "funcionó, y dígalo en serio.\n"
            "- **Dé ejemplos concretos.** “Lo que dijo de la parada del autobús fue lo más "
            "fuerte; empiece por ahí” ayuda. “Muy bien” no.\n"
            "- **Use el tiempo real.** Si el concejo da tres minutos, practique con tres "
            "minutos.\n"
            "- **Trampa: reescribirlo a su manera.** Tiene que sonar como quien lo va a "
            "decir.\n"
            "- **Celebren después.** Invite a la persona a volver y contar cómo le fue."
        ),
        "example_prompts": (
            "La próxima semana doy testimonio en el concejo y tengo tres minutos. ¿Puedo "
            "ensayarlo con ustedes?\n"
            "Voy a dirigir por primera vez la reunión de nuestra asociación de vecinos. "
            "¿Podemos practicar el comienzo?\n"
            "Esta es nuestra propuesta para una fundación. ¿Qué haría que ustedes quisieran "
            "financiarla?\n"
            "Tengo que decirle a una voluntaria de muchos años que vamos a cambiar la forma "
            "de llevar la despensa de alimentos. ¿Puedo practicar esa conversación?"
        ),
        "post_template": "",
        "steps": {
            (BRIEF, 1): "Una o dos personas dicen qué quieren practicar, quién es el público "
            "real y qué tipo de comentarios les gustaría recibir.",
            (BRIEF, 2): "La primera persona lo prueba como si fuera de verdad: el discurso, la "
            "propuesta o los primeros minutos de la reunión.",
            (BRIEF, 3): "Comentarios en este orden: qué funcionó, una o dos cosas para afinar, "
            "y las preguntas que podría hacer el público real.",
            (BRIEF, 4): "Lo intenta de nuevo, con lo que le sirvió.",
            (BRIEF, 5): "Lo mismo con la segunda persona, si la hay.",
            (IN_DEPTH, 1): "Cada persona que quiera practicar dice qué, ante quién y cuándo. "
            "Elijan dos o tres para hoy; las demás van primero la próxima vez.",
            (IN_DEPTH, 2): "Acuerden cómo dar comentarios: concretos, amables y sobre las "
            "palabras, no sobre la persona.",
            (IN_DEPTH, 3): "Primera persona: lo prueba, recibe comentarios (qué funcionó, qué "
            "afinar, la pregunta difícil) y lo intenta otra vez.",
            (IN_DEPTH, 4): "Segunda persona, de la misma manera.",
            (IN_DEPTH, 5): "Tercera persona, o un juego de roles: los demás hacen de público, "
            "incluidos el escéptico y el que se sale del tema.",
            (IN_DEPTH, 6): "Cada persona que presentó dice qué va a cambiar y cómo se siente "
            "ahora ante el momento real.",
            (IN_DEPTH, 7): "Ofrezcan hablar después: ¿quién quiere enterarse de cómo le fue?",
        },
    },
    "discussing-new-developments": {
        "name": "Conversar sobre novedades",
        "purpose": "Entiendan juntos una política, un programa o una tendencia nueva que va a "
        "cambiar nuestro trabajo, y decidan qué hacer al respecto.",
        "invitation": "¿Qué está cambiando a nuestro alrededor que deberíamos entender antes "
        "de que llegue a nuestras calles?",
        "when_to_use": (
            "Cuando llega algo nuevo: un cambio en las reglas de la ciudad sobre las viviendas "
            "de alquiler, un nuevo programa de subvenciones, un gran proyecto de construcción "
            "anunciado cerca, nuevas rutas de autobús, una herramienta que de repente todos "
            "usan. Tengan la conversación temprano, mientras todavía hay tiempo para "
            "prepararse, hacer preguntas o dar su opinión."
        ),
        "online_and_in_room": (
            "En el salón, ayuda un resumen impreso de una página: no todos han seguido las "
            "noticias.\n\n"
            "En línea, compartan el enlace a la fuente en el chat antes de empezar y den a la "
            "gente un minuto para echarle un vistazo.\n\n"
            "En una sesión híbrida, quienes participan en línea muchas veces conocen otros "
            "rincones de la ciudad; pregúnteles primero en cada ronda."
        ),
        "group_size": "Cualquier tamaño, con grupos de 4 a 6 para el paso de “qué significa”.",
        "materials": (
            "Un resumen de una página en palabras sencillas, la fuente (un artículo, una "
            "ordenanza, la página de un programa) y un rotafolio con tres columnas: se sabe, "
            "se rumorea, no se sabe."
        ),
        "tips_and_traps": (
            "- **Separen los hechos de los rumores.** Tres columnas (se sabe, se rumorea, no "
            "se sabe) calman a un salón preocupado.\n"
            "- **Traduzcan juntos la jerga,** y guarden esa traducción para el resumen.\n"
            "- **Pregunten quién falta.** Las personas más afectadas muchas veces no están en "
            "el salón. ¿Cómo se van a enterar?\n"
            "- **Trampa: una hora de desahogo.** La frustración merece algo de tiempo; "
            "después pasen a “¿qué hacemos?”\n"
            "- **Inviten a alguien que sepa,** como un abogado de asistencia legal o alguien "
            "del equipo de un concejal, si el grupo necesita más de lo que puede resolver por "
            "su cuenta."
        ),
        "example_prompts": (
            "La ciudad cambió la forma de hacer las inspecciones de viviendas de alquiler. "
            "¿Qué significa para los inquilinos de nuestras calles?\n"
            "Anunciaron un gran proyecto de construcción cerca de nosotros. ¿Qué sabemos y "
            "qué deberíamos preguntar?\n"
            "Las rutas de autobús van a cambiar. ¿A cuáles de nuestros vecinos les va a "
            "afectar?\n"
            "Se abrió un nuevo programa de subvenciones pequeñas para grupos de barrio. "
            "¿Alguien lo ha revisado? ¿Vale la pena solicitarlo?"
        ),
        "post_template": "",
        "steps": {
            (BRIEF, 1): "Alguien que se ha informado explica la novedad en palabras sencillas: "
            "qué, quién, cuándo.",
            (BRIEF, 2): "Preguntas para entenderla. Anoten lo que nadie sabe todavía.",
            (BRIEF, 3): "Ronda: ¿qué podría significar esto en su calle o para su grupo, para "
            "bien y para mal?",
            (BRIEF, 4): "¿Qué hacemos: aprender más, avisar a los vecinos, dar nuestra "
            "opinión, o esperar a ver? ¿Quién va a estar pendiente?",
            (BRIEF, 5): "Publiquen un resumen corto en la biblioteca, con las preguntas abiertas.",
            (IN_DEPTH, 1): "Alguien que se ha informado explica la novedad: qué es, quién lo "
            "decidió, cuándo empieza, dónde leer más.",
            (IN_DEPTH, 2): "Preguntas para entenderla. Hagan una lista de lo que se sabe, lo "
            "que se rumorea y lo que nadie sabe todavía.",
            (IN_DEPTH, 3): "Grupos pequeños, mezclando barrios: ¿qué significa para las "
            "personas con quienes trabajamos? ¿Quién gana, quién pierde, quién no se ha "
            "enterado?",
            (IN_DEPTH, 4): "De nuevo todos juntos, cada grupo comparte el efecto que más "
            "quiere que los demás conozcan.",
            (IN_DEPTH, 5): "Decidan: ¿aprendemos más (¿invitamos a alguien?), avisamos a los "
            "vecinos (¿cómo?) o damos nuestra opinión (¿dónde y para cuándo?)?",
            (IN_DEPTH, 6): "Digan quién da seguimiento a cada cosa, y quién publica el resumen "
            "en la biblioteca.",
        },
    },
    "documenting-projects": {
        "name": "Documentar proyectos",
        "purpose": "Escriban lo que se intentó y cómo resultó, para que la lección dure más "
        "que el proyecto y que las personas que lo llevaron adelante.",
        "invitation": "¿Qué intentó hace poco de lo que otros podrían aprender, haya "
        "funcionado o no?",
        "when_to_use": (
            "Cuando un proyecto termina o llega a un hito: una temporada de limpiezas, una "
            "campaña de inquilinos, un mural, un mercado temporal, el primer año de un "
            "programa juvenil. También antes de que se vaya una persona clave, mientras "
            "todavía se acuerda. Funciona bien como sesión de escritura: la gente se va con "
            "un borrador."
        ),
        "online_and_in_room": (
            "En el salón, las parejas trabajan bien con los cinco títulos en papel; pasen el "
            "texto a la computadora después.\n\n"
            "En línea, cada pareja abre el formulario de proyectos de la biblioteca y escribe "
            "mientras conversa, así el borrador está listo cuando termina la sesión.\n\n"
            "En una sesión híbrida, formen parejas entre personas en línea: entrevistar a "
            "alguien entre el salón y la pantalla es difícil."
        ),
        "group_size": "De 2 a 20, trabajando en parejas.",
        "materials": (
            "Los cinco títulos en papel o en pantalla, fotos o archivos del proyecto, y "
            "computadoras portátiles o teléfonos para pasar el texto."
        ),
        "tips_and_traps": (
            "- **Escriba también lo que no funcionó.** “Tocar puertas en enero no nos llevó a "
            "ninguna parte” le ahorra a otro grupo un mes de frío.\n"
            "- **Las cifras y las fechas ayudan.** Cuántas personas, cuánto dinero, cuánto "
            "tiempo tomó.\n"
            "- **Deje que otra persona haga las preguntas.** Contar un proyecto es más fácil "
            "que escribirlo.\n"
            "- **Nombre lo que se puede reutilizar:** un volante, un presupuesto, el contacto "
            "de un aliado, una lista de pasos.\n"
            "- **Trampa: un comunicado de prensa.** Esto es para colegas. Las partes "
            "desordenadas son las útiles.\n"
            "- **Proteja la privacidad.** No incluya nombres ni datos de los vecinos, salvo "
            "que estén de acuerdo."
        ),
        "example_prompts": (
            "¿Qué les enseñó su limpieza de primavera sobre cómo lograr que venga gente "
            "nueva?\n"
            "Su asociación de inquilinos consiguió que el dueño hiciera reparaciones. ¿Cómo lo "
            "lograron?\n"
            "Organizaron un mercado temporal en un lote vacío. ¿Qué le dirían a alguien que "
            "quiere intentarlo el próximo verano?\n"
            "Su programa juvenil perdió los fondos. ¿Qué aprendieron sobre cómo mantenerlo en "
            "marcha?"
        ),
        "post_template": (
            "## Contexto\n\n"
            "Dónde y cuándo, quiénes participaron y cómo estaban las cosas al principio.\n\n"
            "## El problema\n\n"
            "¿Qué tenía que cambiar, y para quién?\n\n"
            "## Lo que intentamos\n\n"
            "Los pasos que dieron, en orden, incluido lo que no funcionó.\n\n"
            "## Resultado\n\n"
            "Qué pasó: cifras, fechas, qué cambió (o qué no).\n\n"
            "## Lo que otros pueden reutilizar\n\n"
            "Archivos, contactos, pasos, lecciones: ¿qué le pasarían al próximo grupo?\n"
        ),
        "steps": {
            (BRIEF, 1): "Una persona nombra un proyecto para documentar. El grupo se ofrece a "
            "ayudarle a redactarlo.",
            (BRIEF, 2): "El grupo le hace una entrevista siguiendo los cinco títulos: "
            "contexto, el problema, lo que intentamos, resultado, lo que otros pueden "
            "reutilizar. Una persona toma notas bajo cada uno.",
            (BRIEF, 3): "Quien lleva el proyecto lee las notas en voz alta y corrige lo que "
            "está mal o lo que falta.",
            (BRIEF, 4): "Acuerden quién publica el texto en la biblioteca, y para cuándo.",
            (IN_DEPTH, 1): "Cada persona nombra un proyecto que vale la pena documentar. "
            "Formen parejas entre quienes tienen un proyecto y quienes los van a entrevistar.",
            (IN_DEPTH, 2): "En parejas, quien entrevista hace preguntas bajo cada título y "
            "escribe las respuestas con las palabras de quien lleva el proyecto.",
            (IN_DEPTH, 3): "Cambien de papel si los dos tienen un proyecto, o sigan con el "
            "título más difícil: casi siempre “lo que intentamos” o “resultado”.",
            (IN_DEPTH, 4): "Intercambien borradores con otra pareja. Quienes leen marcan lo "
            "que alguien de afuera no entendería y se preguntan: ¿podría reutilizar esto?",
            (IN_DEPTH, 5): "Corrijan los borradores. Agreguen cifras, fechas y una foto o un "
            "archivo si los tienen.",
            (IN_DEPTH, 6): "Publiquen los borradores en la biblioteca, o acuerden una fecha "
            "para terminarlos.",
        },
    },
    "visits": {
        "name": "Visitas",
        "purpose": "Vayan a ver cómo lo hace otro grupo, en su propio lugar: un huerto, una "
        "despensa de alimentos, una reunión de inquilinos, un programa juvenil.",
        "invitation": "¿Qué trabajo le gustaría ver con sus propios ojos, y qué podrían "
        "aprender otros si visitan el suyo?",
        "when_to_use": (
            "Cuando oír hablar de un proyecto no basta y verlo ayudaría: cómo maneja el agua "
            "un huerto comunitario, cómo organiza la fila una despensa de alimentos, cómo "
            "lleva sus reuniones una asociación de vecinos. Planeen las visitas en una sesión "
            "y vayan en grupos pequeños otro día, o hagan una sesión completa en el lugar de "
            "un miembro."
        ),
        "online_and_in_room": (
            "Las visitas funcionan mejor de forma presencial.\n\n"
            "En línea, quien recibe puede recorrer el lugar con un teléfono en una "
            "videollamada: pruebe antes la conexión allí mismo, y pida a alguien que lea en "
            "voz alta las preguntas del chat.\n\n"
            "En una sesión híbrida, en el lugar, pongan un teléfono en un soporte pequeño, o "
            "graben antes un recorrido corto. En cualquier caso, ofrezcan una manera de "
            "participar a quienes no pueden con escalones o terreno irregular."
        ),
        "group_size": "De 2 a 12 visitantes por visita; más que eso agota a quien recibe.",
        "materials": (
            "La dirección y cómo llegar (también en autobús), etiquetas con el nombre, un "
            "teléfono para fotos (pregunte antes) y algo para dar las gracias."
        ),
        "tips_and_traps": (
            "- **Quien recibe decide** qué mostrar, cuándo, cuántas personas van y si se "
            "pueden tomar fotos.\n"
            "- **Devuelva algo:** una hora de ayuda, una visita de vuelta o un texto escrito "
            "que quien recibe pueda usar.\n"
            "- **Llegue con preguntas.** Cuéntele antes a quien recibe lo que espera aprender, "
            "para que pueda prepararse.\n"
            "- **Es el barrio de alguien, no una parada turística.** Compórtese como buena "
            "visita en la calle, no solo en el lugar.\n"
            "- **Piense en el acceso.** Comparta las opciones de autobús y diga si hay "
            "escalones.\n"
            "- **Trampa: la visita que nadie pone por escrito.** Publique lo que vio, con el "
            "visto bueno de quien recibe, para que la visita le enseñe a más gente que a "
            "quienes fueron."
        ),
        "example_prompts": (
            "Nuestro huerto recoge agua de lluvia del techo de un garaje. ¿Quién quiere verlo "
            "antes de la temporada de siembra?\n"
            "Nos encantaría asistir a una reunión de una asociación de inquilinos que "
            "funcione bien. ¿Quién nos recibiría?\n"
            "¿Alguien podría mostrarnos cómo su despensa de alimentos mantiene la fila en "
            "movimiento un sábado de mucha gente?\n"
            "¿Quién nos mostraría su mural, desde la primera idea hasta la pared?"
        ),
        "post_template": (
            "## Programa o lugar\n\n"
            "Qué es y quién lo lleva.\n\n"
            "## Lo que verán (o quieren ver)\n\n"
            "Lo que los visitantes pueden aprender aquí.\n\n"
            "## Fechas y tamaño del grupo\n\n"
            "Cuándo se puede, y cuántas personas pueden venir.\n\n"
            "## Cómo llegar\n\n"
            "Dirección, líneas de autobús, estacionamiento, escalones.\n\n"
            "## Lo que nos gustaría a cambio\n\n"
            "¿Ayuda, una visita de vuelta, comentarios?\n"
        ),
        "steps": {
            (BRIEF, 1): "Ronda: ¿quién recibiría visitas, y qué mostraría?",
            (BRIEF, 2): "Ronda: ¿a quién le gustaría hacer una visita, y qué quiere ver?",
            (BRIEF, 3): "Emparejen ofertas y pedidos. Para cada uno, acuerden una fecha, "
            "cuántas personas pueden ir y qué le gustaría a quien recibe a cambio: una tarde "
            "de ayuda, una visita de vuelta.",
            (BRIEF, 4): "Si alguien acaba de hacer una visita, comparte tres cosas que le "
            "llamaron la atención.",
            (BRIEF, 5): "Publiquen las ofertas de visita en la biblioteca para que los "
            "miembros que no estuvieron puedan pedir ir.",
            (IN_DEPTH, 1): "En el lugar de un miembro: quien recibe da la bienvenida a todos y "
            "dice qué van a ver y en qué fijarse.",
            (IN_DEPTH, 2): "El recorrido o la demostración, con preguntas por el camino. "
            "(¿Están en el salón de siempre? Una o dos personas presentan una visita reciente "
            "con fotos.)",
            (IN_DEPTH, 3): "Siéntense juntos: ¿qué les sorprendió? ¿Qué funcionaría en su "
            "calle, y qué no?",
            (IN_DEPTH, 4): "Quien recibe dice en qué le gustaría que le aconsejen o le ayuden; "
            "los visitantes responden.",
            (IN_DEPTH, 5): "Planeen las próximas visitas: ofertas, pedidos, fechas.",
            (IN_DEPTH, 6): "Alguien escribe sobre la visita en la biblioteca, con el acuerdo "
            "de quien la recibió.",
        },
    },
    "identifying-gaps-in-competence": {
        "name": "Identificar vacíos de conocimiento",
        "purpose": "Descubran lo que como red todavía no sabemos hacer, y busquen la manera "
        "de aprenderlo juntos.",
        "invitation": "¿Con qué se topa una y otra vez que nadie aquí parece saber cómo resolver?",
        "when_to_use": (
            "Una o dos veces al año, y cada vez que las mismas preguntas se quedan sin "
            "respuesta en la biblioteca. Sirve para planear la próxima temporada de sesiones: "
            "los vacíos se convierten en temas, invitados y visitas. También después de que "
            "una novedad nos muestra algo que necesitamos aprender, como una ley nueva o un "
            "nuevo tipo de financiamiento."
        ),
        "online_and_in_room": (
            "En el salón, las notas adhesivas en una pared y las etiquetas de puntos muestran "
            "las prioridades de un vistazo.\n\n"
            "En línea, usen un documento o un tablero compartido y den a la gente unos "
            "minutos en silencio para escribir antes de que alguien hable; es más fácil "
            "admitir un vacío por escrito.\n\n"
            "En una sesión híbrida, una persona del salón copia en la pared las notas de "
            "quienes están en línea."
        ),
        "group_size": "De 5 a 30.",
        "materials": (
            "Notas adhesivas, etiquetas de puntos, una pared o un tablero compartido, y una "
            "lista de las preguntas de la biblioteca que llevan más tiempo abiertas."
        ),
        "tips_and_traps": (
            "- **Se trata del grupo, no de la persona.** “No sabemos cómo…” es más fácil de "
            "decir que “Yo no sirvo para…”.\n"
            "- **Miren la evidencia.** Las preguntas abiertas en la biblioteca y los temas que "
            "vuelven una y otra vez señalan vacíos.\n"
            "- **Muchas veces la habilidad está cerca.** Pregunten en la red antes de buscar a "
            "alguien que dé una capacitación.\n"
            "- **Trampa: una lista de deseos sin seguimiento.** Cada vacío principal necesita "
            "un próximo paso y alguien que se encargue.\n"
            "- **Vuelvan al tema.** Seis meses después, pregunten: ¿qué vacíos hemos cerrado?"
        ),
        "example_prompts": (
            "Pocos de nosotros nos sentimos seguros leyendo un presupuesto. ¿Cómo podríamos "
            "aprender?\n"
            "Seguimos perdiendo voluntarios después de su primer evento. ¿Es algo que "
            "podríamos aprender a hacer mejor juntos?\n"
            "¿Quién podría enseñarnos a llegar en línea a los vecinos menores de 30 años?\n"
            "¿Qué quisiéramos saber sobre la ley de vivienda justa?"
        ),
        "post_template": "",
        "steps": {
            (BRIEF, 1): "Cada persona escribe una o dos cosas que quisiera saber hacer mejor.",
            (BRIEF, 2): "Léanlas en voz alta y agrupen las parecidas en un tablero.",
            (BRIEF, 3): "Voten con puntos o a mano alzada: ¿qué vacíos le importan a más gente?",
            (BRIEF, 4): "Para el primero o los dos primeros: ¿alguien aquí, o alguien que "
            "conozcamos, tiene esa habilidad? ¿Podríamos invitar a esa persona, visitarla o "
            "aprenderlo juntos?",
            (BRIEF, 5): "Publiquen los vacíos en la biblioteca para que el equipo organizador "
            "pueda planear sesiones sobre ellos.",
            (IN_DEPTH, 1): "Miren hacia atrás: ¿qué preguntas de la biblioteca siguieron "
            "abiertas por más tiempo? ¿Qué nos costó este año?",
            (IN_DEPTH, 2): "Cada persona escribe las habilidades y los conocimientos que "
            "quisiera tener, uno por nota adhesiva.",
            (IN_DEPTH, 3): "Agrupen las notas en una pared y pónganle nombre a cada conjunto: "
            "“dinero y presupuestos”, “trabajar con los dueños”, “lograr que participen los "
            "jóvenes”.",
            (IN_DEPTH, 4): "Votación con puntos: tres puntos por persona, para los conjuntos "
            "que más importan.",
            (IN_DEPTH, 5): "Grupos pequeños toman los conjuntos con más puntos: ¿qué "
            "necesitamos aprender exactamente? ¿Quién podría enseñarlo (un miembro, un aliado, "
            "un invitado)? ¿Como sesión, visita, taller o guía compartida?",
            (IN_DEPTH, 6): "Los grupos presentan sus conclusiones. El equipo organizador anota "
            "qué ideas programar.",
            (IN_DEPTH, 7): "Publiquen los vacíos en la biblioteca, y pidan a los miembros que "
            "no estuvieron que agreguen los suyos.",
        },
    },
}


def fill_in_spanish(apps, schema_editor):
    ActivityPattern = apps.get_model("practice_library", "ActivityPattern")
    PatternStep = apps.get_model("practice_library", "PatternStep")
    for slug, guide in GUIDES.items():
        # update() on a filter: a guide or step an operator deleted matches no row.
        ActivityPattern.objects.filter(slug=slug).update(
            **{f"{field}_es": guide[field] for field in PATTERN_FIELDS}
        )
        for (format, position), text in guide["steps"].items():
            PatternStep.objects.filter(pattern__slug=slug, format=format, position=position).update(
                text_es=text
            )


def remove_spanish(apps, schema_editor):
    ActivityPattern = apps.get_model("practice_library", "ActivityPattern")
    PatternStep = apps.get_model("practice_library", "PatternStep")
    ActivityPattern.objects.filter(slug__in=GUIDES).update(
        **{f"{field}_es": None for field in PATTERN_FIELDS}
    )
    PatternStep.objects.filter(pattern__slug__in=GUIDES).update(text_es=None)


class Migration(migrations.Migration):
    dependencies = [("practice_library", "0009_guides_so_far_are_english")]

    operations = [migrations.RunPython(fill_in_spanish, remove_spanish, elidable=False)]
